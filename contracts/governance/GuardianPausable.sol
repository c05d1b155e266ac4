// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Roles} from "../libraries/Roles.sol";

/// @title GuardianPausable
/// @notice The one emergency switch of every pausable Treelion contract: stop fast, resume slowly.
/// `PAUSER_ROLE` (the guardian on public networks) pauses at once; only `DEFAULT_ADMIN_ROLE` (the timelock on
/// public networks, so a resume waits the timelock's delay) unpauses. What a pause stops is chosen by each
/// contract with `whenNotPaused`; exits that pay money or credits back to their rightful owner never carry it.
abstract contract GuardianPausable is AccessControl, Pausable {
    /// @notice Role that may pause (never unpause).
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    /// @notice Stops the contract's pausable operations at once. PAUSER_ROLE.
    /// @dev Reverts `EnforcedPause` when already paused; emits `Paused(msg.sender)`.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes the paused operations. DEFAULT_ADMIN_ROLE only: the guardian cannot undo a pause.
    /// @dev Reverts `ExpectedPause` when not paused; emits `Unpaused(msg.sender)`.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }
}
