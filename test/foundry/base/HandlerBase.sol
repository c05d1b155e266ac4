// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @title HandlerBase
/// @notice What every handler shares: a clock that survives between calls, a fixed set of actors, and a violation
/// log. An assertion that fails inside a handler call would only count as a revert (fail_on_revert = false), so
/// handlers record what they saw go wrong and each invariant test asserts `violations() == 0`.
abstract contract HandlerBase is CommonBase, StdUtils {
    /// @notice The clock the handler keeps (forge does not promise that a warp persists between calls).
    uint256 public clock;
    /// @notice Failed in-handler checks (each one a bug); `firstViolation` says what the first one was.
    uint256 public violations;
    string public firstViolation;

    address[] internal _actors;

    constructor(uint256 actors_, uint256 startTime) {
        clock = startTime;
        for (uint256 i; i < actors_; ++i) _actors.push(address(uint160(uint256(keccak256(abi.encode("actor", i))))));
    }

    modifier timed() {
        vm.warp(clock);
        _;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function actorCount() external view returns (uint256) {
        return _actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _other(address a, uint256 seed) internal view returns (address b) {
        uint256 n = _actors.length;
        b = _actors[seed % n];
        if (b == a) b = _actors[(seed + 1) % n];
    }

    /// @dev Moves the clock forward by `seconds_` (bounded by the caller).
    function _advance(uint256 seconds_) internal {
        clock += seconds_;
        vm.warp(clock);
    }

    function _check(bool ok, string memory what) internal {
        if (ok) return;
        if (violations == 0) firstViolation = what;
        ++violations;
    }
}
