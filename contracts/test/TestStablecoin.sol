// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title TestStablecoin (tUSD)
/// @notice 6-decimal stablecoin with ERC-2612 permit and an OPEN mint, for tests and the demo.
/// Deployed on local networks only (deploy tag `test-tokens`); never on a public network.
contract TestStablecoin is ERC20, ERC20Permit {
    constructor() ERC20("Test USD", "tUSD") ERC20Permit("Test USD") {}

    /// @notice Mints `amount` to `to`. Anyone may call: this is a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
