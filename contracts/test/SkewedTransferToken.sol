// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title SkewedTransferToken
/// @notice Test token whose transfers change the recipient's balance by more or less than the amount: after every
/// transfer between two accounts it mints `skew` to the recipient (skew > 0, a rebasing or top-up token) or burns
/// `-skew` of the recipient's balance (skew < 0, so the balance can even fall). Tests only.
contract SkewedTransferToken is ERC20 {
    /// @notice What a transfer adds to (or, negative, takes from) the recipient on top of the amount.
    int256 public skew;

    constructor() ERC20("Skewed Transfer", "SKW") {}

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets what every later transfer adds to or takes from its recipient.
    function setSkew(int256 newSkew) external {
        skew = newSkew;
    }

    /// @dev A transfer, then the skew applied to the recipient.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to == address(0) || skew == 0) return;
        if (skew > 0) super._update(address(0), to, uint256(skew));
        else super._update(to, address(0), uint256(-skew));
    }
}
