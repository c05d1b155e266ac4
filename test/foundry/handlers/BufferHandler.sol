// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {CreditOps} from "./CreditOps.sol";
import {BufferOps} from "./BufferOps.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {BufferPool} from "../../../contracts/buffer/BufferPool.sol";

/// @title BufferHandler
/// @notice The buffer area: credit actions (issuance withholds the buffer share) plus reversals, settlement and
/// compensation.
contract BufferHandler is BufferOps {
    constructor(
        GreenProjectRegistry registry_,
        CarbonCredit credit_,
        uint256[] memory projects_,
        BufferPool buffer_,
        uint256 startTime
    ) HandlerBase(4, startTime) CreditOps(registry_, credit_, projects_) BufferOps(buffer_) {}
}
