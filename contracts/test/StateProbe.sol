// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title StateProbe
/// @notice Runs many view calls in one `eth_call` so that tests can snapshot the whole suite's
/// observable state cheaply (security tests' state digests, the property test's per-step checks).
/// Failed calls are reported, not propagated. Tests only; never deployed by the deploy scripts.
contract StateProbe {
    /// @notice One view call.
    struct Call {
        address target;
        bytes data;
    }

    /// @notice Static-calls every `calls[i]`; returns each call's success flag and return (or revert) data.
    function probe(Call[] calldata calls) external view returns (bool[] memory ok, bytes[] memory results) {
        uint256 n = calls.length;
        ok = new bool[](n);
        results = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            (ok[i], results[i]) = calls[i].target.staticcall(calls[i].data);
        }
    }
}
