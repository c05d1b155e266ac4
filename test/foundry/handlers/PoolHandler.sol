// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {CreditOps} from "./CreditOps.sol";
import {PoolOps} from "./PoolOps.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {CarbonPool} from "../../../contracts/pools/CarbonPool.sol";

/// @title PoolHandler
/// @notice The pool area: credit actions to feed it, plus deposits, exits, transfers and fee changes.
contract PoolHandler is PoolOps {
    constructor(
        GreenProjectRegistry registry_,
        CarbonCredit credit_,
        uint256[] memory projects_,
        CarbonPool pool_,
        address treasury_,
        uint256 startTime
    ) HandlerBase(4, startTime) CreditOps(registry_, credit_, projects_) PoolOps(pool_, treasury_) {}
}
