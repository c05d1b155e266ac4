// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {JsonMetadata} from "./JsonMetadata.sol";

/// @title Labels
/// @notice Quality labels of a credit batch, one bit each in a `uint32`. Buyers and pools filter batches by them.
/// @dev Bits not listed here are unknown: CarbonCredit refuses them (`UnknownLabels`). New labels take the next bit.
library Labels {
    /// @notice Eligible for CORSIA (the ICAO offsetting scheme for international aviation).
    uint32 internal constant CORSIA_ELIGIBLE = 1;
    /// @notice Approved under the ICVCM Core Carbon Principles (CCP label).
    uint32 internal constant CCP_APPROVED = 2;
    /// @notice Article 6 authorisation with a corresponding adjustment by the host country.
    uint32 internal constant CORRESPONDING_ADJUSTMENT = 4;
    /// @notice A removal (CO2 taken out of the atmosphere), as opposed to an avoidance or reduction.
    uint32 internal constant REMOVAL = 8;
    /// @notice Every known bit.
    uint32 internal constant ALL = 15;
    /// @notice Number of known labels (the highest known bit is `1 << (COUNT - 1)`).
    uint256 internal constant COUNT = 4;

    /// @notice Whether every set bit of `labels` is a known label.
    function isKnown(uint32 labels) internal pure returns (bool) {
        return labels & ~ALL == 0;
    }

    /// @notice The name of the label `bit` (a single known bit), as the JSON metadata and the SDK spell it.
    function nameOf(uint32 bit) internal pure returns (string memory) {
        if (bit == CORSIA_ELIGIBLE) return "CORSIA_ELIGIBLE";
        if (bit == CCP_APPROVED) return "CCP_APPROVED";
        if (bit == CORRESPONDING_ADJUSTMENT) return "CORRESPONDING_ADJUSTMENT";
        if (bit == REMOVAL) return "REMOVAL";
        return "";
    }

    /// @notice JSON metadata attributes, one `{"trait_type":"Label","value":"<NAME>"}` per set known bit, each
    /// preceded by a comma (so the result appends to a non-empty attribute list); empty when no label is set.
    function jsonAttributes(uint32 labels) internal pure returns (bytes memory out) {
        for (uint256 i; i < COUNT; ++i) {
            uint32 bit = uint32(1 << i);
            if (labels & bit != 0) {
                out = abi.encodePacked(out, ",", JsonMetadata.attr("Label", nameOf(bit)));
            }
        }
    }
}
