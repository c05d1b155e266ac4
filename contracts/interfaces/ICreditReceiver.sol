// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ICreditReceiver
/// @notice The refusal shared by the suite's custodians that take CarbonCredit units only when they asked for them
/// (CreditMarketplace: its own `list` pulls; BufferPool: buffer mints and its own compensation pulls).
interface ICreditReceiver {
    /// @dev `token` delivered units the contract did not ask for (a push by a holder, any batch transfer, or another
    /// ERC-1155 contract's tokens); `operator` and `from` as the ERC-1155 hook received them.
    error UnsolicitedTransfer(address token, address operator, address from);
}
