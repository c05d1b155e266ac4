// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {JsonMetadata} from "../libraries/JsonMetadata.sol";

/// @title JsonMetadataHarness
/// @notice Test-only: exposes JsonMetadata's internal functions.
contract JsonMetadataHarness {
    /// @notice JsonMetadata.attr.
    function attr(string calldata trait, string calldata value) external pure returns (string memory) {
        return string(JsonMetadata.attr(trait, value));
    }

    /// @notice JsonMetadata.textAttr.
    function textAttr(string calldata trait, string calldata value) external pure returns (string memory) {
        return string(JsonMetadata.textAttr(trait, value));
    }

    /// @notice JsonMetadata.numberAttr.
    function numberAttr(string calldata trait, uint256 value) external pure returns (string memory) {
        return string(JsonMetadata.numberAttr(trait, value));
    }

    /// @notice JsonMetadata.dateAttr.
    function dateAttr(string calldata trait, uint256 timestamp) external pure returns (string memory) {
        return string(JsonMetadata.dateAttr(trait, timestamp));
    }

    /// @notice JsonMetadata.dataURI.
    function dataURI(bytes calldata json) external pure returns (string memory) {
        return JsonMetadata.dataURI(json);
    }
}
