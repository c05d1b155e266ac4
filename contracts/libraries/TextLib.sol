// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title TextLib
/// @notice Pure helpers for packing text into storage words and formatting amounts.
library TextLib {
    using Strings for uint256;

    /// @notice The `index`-th 32-byte word of `data`, zero-padded past its end.
    function wordAt(bytes memory data, uint256 index) internal pure returns (bytes32 word) {
        uint256 offset = index << 5;
        assembly ("memory-safe") {
            word := mload(add(add(data, 0x20), offset))
        }
        uint256 remaining = data.length - offset;
        if (remaining < 32) {
            // clear the bytes beyond the end (memory there is not guaranteed to be zero)
            word &= bytes32(~(type(uint256).max >> (remaining << 3)));
        }
    }

    /// @notice Rebuilds `length` bytes from consecutive words.
    function fromWords(bytes32[] memory words, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(words.length << 5);
        for (uint256 i; i < words.length; ++i) {
            bytes32 w = words[i];
            assembly ("memory-safe") {
                mstore(add(add(out, 0x20), shl(5, i)), w)
            }
        }
        assembly ("memory-safe") {
            mstore(out, length) // shrink; length <= words.length * 32
        }
    }

    /// @notice `data[start:end]` as a new bytes array.
    function slice(bytes memory data, uint256 start, uint256 end) internal pure returns (bytes memory out) {
        out = new bytes(end - start);
        for (uint256 i; i < out.length; ++i) {
            out[i] = data[start + i];
        }
    }

    /// @notice Formats kilograms as tonnes with exactly three decimals, e.g. 1500 → "1.500".
    function formatKgAsTonnes(uint256 kg) internal pure returns (string memory) {
        uint256 frac = kg % 1000;
        string memory fracStr = frac.toString();
        if (frac < 10) fracStr = string.concat("00", fracStr);
        else if (frac < 100) fracStr = string.concat("0", fracStr);
        return string.concat((kg / 1000).toString(), ".", fracStr);
    }
}
