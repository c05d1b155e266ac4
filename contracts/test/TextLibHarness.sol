// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TextLib} from "../libraries/TextLib.sol";

/// @title TextLibHarness
/// @notice Test-only: exposes TextLib's internal functions.
contract TextLibHarness {
    /// @notice TextLib.wordAt.
    function wordAt(bytes memory data, uint256 index) external pure returns (bytes32) {
        return TextLib.wordAt(data, index);
    }

    /// @notice TextLib.wordAt on a copy of `data` whose memory past the end is dirty (all 0xff bytes).
    function wordAtDirty(bytes calldata data, uint256 index) external pure returns (bytes32) {
        uint256 padded = ((data.length + 31) >> 5) << 5;
        bytes memory buf = new bytes(padded + 32);
        for (uint256 i; i < buf.length; ++i) {
            buf[i] = i < data.length ? data[i] : bytes1(0xff);
        }
        uint256 len = data.length;
        assembly ("memory-safe") {
            mstore(buf, len)
        }
        return TextLib.wordAt(buf, index);
    }

    /// @notice TextLib.fromWords.
    function fromWords(bytes32[] memory words, uint256 length) external pure returns (bytes memory) {
        return TextLib.fromWords(words, length);
    }

    /// @notice Packs `data` into words with wordAt and rebuilds it with fromWords (the certificate's storage path).
    function roundTrip(bytes memory data) external pure returns (bytes memory) {
        uint256 n = (data.length + 31) >> 5;
        bytes32[] memory words = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            words[i] = TextLib.wordAt(data, i);
        }
        return TextLib.fromWords(words, data.length);
    }

    /// @notice TextLib.slice.
    function slice(bytes memory data, uint256 start, uint256 end) external pure returns (bytes memory) {
        return TextLib.slice(data, start, end);
    }

    /// @notice TextLib.formatKgAsTonnes.
    function formatKgAsTonnes(uint256 kg) external pure returns (string memory) {
        return TextLib.formatKgAsTonnes(kg);
    }
}
