// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {EscrowOps} from "./EscrowOps.sol";

/// @title EscrowHandler
/// @notice The escrow area: deals between actors from creation to withdrawal, and the clock.
contract EscrowHandler is EscrowOps {
    constructor(EscrowSetup memory s, uint256 startTime) HandlerBase(4, startTime) EscrowOps(s) {}
}
