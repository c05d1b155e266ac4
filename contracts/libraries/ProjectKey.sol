// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ProjectKey
/// @notice The duplicate-project key of the registry: `(standard, externalId)` compared after normalisation, so
/// `VCS-612`, `vcs-612` and ` VCS-612 ` are one project. Normalising folds ASCII letters to lower case, removes
/// leading and trailing whitespace and collapses every inner run of whitespace into one space. Whitespace is ASCII
/// space, tab, line feed, vertical tab, form feed and carriage return; other bytes (UTF-8 included) stay as they are.
library ProjectKey {
    /// @notice The registry key of `(standard, externalId)`: keccak256 of both normalised strings.
    function keyOf(string calldata standard, string calldata externalId) internal pure returns (bytes32) {
        return keyOfNormalized(normalize(standard), normalize(externalId));
    }

    /// @notice The registry key of strings that are already normalised.
    function keyOfNormalized(bytes memory standard, bytes memory externalId) internal pure returns (bytes32) {
        return keccak256(abi.encode(standard, externalId));
    }

    /// @notice `s` with ASCII case folded, surrounding whitespace removed and inner runs of whitespace collapsed.
    function normalize(string calldata s) internal pure returns (bytes memory out) {
        bytes calldata b = bytes(s);
        out = new bytes(b.length);
        uint256 n;
        bool gap; // whitespace seen since the last kept byte (only counts once something was kept)
        for (uint256 i; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c == 0x20 || (c >= 0x09 && c <= 0x0D)) {
                gap = n != 0;
                continue;
            }
            if (gap) {
                out[n++] = 0x20;
                gap = false;
            }
            if (c >= 0x41 && c <= 0x5A) c = bytes1(uint8(c) + 32);
            out[n++] = c;
        }
        assembly ("memory-safe") {
            mstore(out, n) // shrink; n <= b.length
        }
    }
}
