// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {EscrowOps} from "./EscrowOps.sol";
import {BondOps} from "./BondOps.sol";
import {GreenBond} from "../../../contracts/bonds/GreenBond.sol";

/// @title BondHandler
/// @notice The bonds area: one green bond from subscription to redemption or default, its proceeds in escrow.
contract BondHandler is BondOps {
    constructor(
        EscrowSetup memory s,
        GreenBond bond_,
        uint256 startTime
    ) HandlerBase(4, startTime) EscrowOps(s) BondOps(bond_) {}
}
