// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ExactTransfer} from "../libraries/ExactTransfer.sol";

/// @title ExactTransferHarness
/// @notice Test-only: exposes ExactTransfer.pull (the caller approves this harness).
contract ExactTransferHarness {
    /// @notice ExactTransfer.pull of `amount` of `token` from the caller to `to`.
    function pull(IERC20 token, address to, uint256 amount) external {
        ExactTransfer.pull(token, msg.sender, to, amount);
    }
}
