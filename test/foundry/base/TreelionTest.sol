// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "forge-std/Base.sol";
import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @title TreelionTest
/// @notice The suite's test base: forge-std's pieces without forge-std/Test.sol (which pulls safeconsole.sol, and
/// solc-js runs out of memory compiling it together with the suite).
abstract contract TreelionTest is TestBase, StdAssertions, StdCheats, StdInvariant, StdUtils {
    /// @dev Start of 2026 (UTC): vintages up to 2026 are issuable, far from any uint64 edge.
    uint256 internal constant START_TIME = 1_767_225_600;
}
