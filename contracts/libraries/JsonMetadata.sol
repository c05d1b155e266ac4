// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title JsonMetadata
/// @notice The suite's one builder of on-chain token metadata (ERC-1155 `uri`, ERC-721 `tokenURI`): OpenSea-style
/// attributes and the `data:application/json;base64,` URI around the JSON.
/// @dev Values given to `attr` are written as they are: pass numbers, hex addresses and fixed names, or text already
/// escaped; `textAttr` escapes its value (Strings.escapeJSON). Trait names are the suite's own constants.
library JsonMetadata {
    /// @notice `{"trait_type":"<trait>","value":"<value>"}` (value written as given).
    function attr(string memory trait, string memory value) internal pure returns (bytes memory) {
        return abi.encodePacked('{"trait_type":"', trait, '","value":"', value, '"}');
    }

    /// @notice `attr` with `value` JSON-escaped (free text: names, reasons).
    function textAttr(string memory trait, string memory value) internal pure returns (bytes memory) {
        return attr(trait, Strings.escapeJSON(value));
    }

    /// @notice `attr` of a decimal number.
    function numberAttr(string memory trait, uint256 value) internal pure returns (bytes memory) {
        return attr(trait, Strings.toString(value));
    }

    /// @notice `{"trait_type":"<trait>","display_type":"date","value":<unix seconds>}` (a number, not a string).
    function dateAttr(string memory trait, uint256 timestamp) internal pure returns (bytes memory) {
        return
            abi.encodePacked(
                '{"trait_type":"',
                trait,
                '","display_type":"date","value":',
                Strings.toString(timestamp),
                "}"
            );
    }

    /// @notice `data:application/json;base64,<base64 of json>`.
    function dataURI(bytes memory json) internal pure returns (string memory) {
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }
}
