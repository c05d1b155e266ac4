// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title MockToken18
/// @notice 18-decimal ERC-20 with ERC-2612 permit and an open mint. Tests only.
contract MockToken18 is ERC20, ERC20Permit {
    constructor() ERC20("Mock DAI", "mDAI") ERC20Permit("Mock DAI") {}

    /// @notice Open mint (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
