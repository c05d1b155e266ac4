// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title EscrowToken18
/// @notice 18-decimal ERC-20 with an open mint, for escrow tests. Test support only.
contract EscrowToken18 is ERC20 {
    constructor() ERC20("Escrow Test Token 18", "ET18") {}

    /// @notice Mints `amount` to `to` (anyone may call: test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
