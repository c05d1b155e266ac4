// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DateTimeLib} from "../libraries/DateTimeLib.sol";

/// @title DateTimeLibHarness
/// @notice Test-only: exposes DateTimeLib's internal functions.
contract DateTimeLibHarness {
    /// @notice DateTimeLib.yearOf.
    function yearOf(uint256 timestamp) external pure returns (uint256) {
        return DateTimeLib.yearOf(timestamp);
    }

    /// @notice DateTimeLib.yearOf for many timestamps in one call (keeps tests fast).
    function yearsOf(uint256[] calldata timestamps) external pure returns (uint256[] memory out) {
        out = new uint256[](timestamps.length);
        for (uint256 i; i < timestamps.length; ++i) {
            out[i] = DateTimeLib.yearOf(timestamps[i]);
        }
    }
}
