// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DateTimeLib
/// @notice Calendar year of a unix timestamp (proleptic Gregorian, UTC), using Howard Hinnant's
/// `civil_from_days` algorithm. Pure and loop-free.
library DateTimeLib {
    /// @notice The UTC calendar year that contains `timestamp`.
    function yearOf(uint256 timestamp) internal pure returns (uint256 year) {
        uint256 z = timestamp / 86400 + 719468;
        uint256 era = z / 146097;
        uint256 doe = z - era * 146097; // [0, 146096]
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
        uint256 mp = (5 * doy + 2) / 153; // [0, 11], March = 0
        year = yoe + era * 400;
        if (mp >= 10) year += 1; // January and February belong to the next civil year
    }
}
