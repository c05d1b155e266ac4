// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {CreditOps} from "./CreditOps.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";

/// @title CreditsHandler
/// @notice The credits area alone: issue (plain and hinted), refused overlaps, transfers, retire, retireFrom,
/// retireBatch, project suspension.
contract CreditsHandler is CreditOps {
    constructor(
        GreenProjectRegistry registry_,
        CarbonCredit credit_,
        uint256[] memory projects_,
        uint256 startTime
    ) HandlerBase(4, startTime) CreditOps(registry_, credit_, projects_) {}
}
