// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferToken
/// @notice Test token that burns 1 % of every transfer between two accounts (recipient receives 99 %).
/// Tests only: the marketplace must refuse it.
contract FeeOnTransferToken is ERC20 {
    /// @notice Fee burnt on transfers, in basis points.
    uint256 public constant FEE_BPS = 100;

    constructor() ERC20("Fee On Transfer", "FOT") {}

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Burns the fee out of every non-mint, non-burn transfer.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * FEE_BPS) / 10_000;
            super._update(from, address(0), fee);
            super._update(from, to, value - fee);
        } else {
            super._update(from, to, value);
        }
    }
}
