// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {CreditOps} from "./CreditOps.sol";
import {MarketOps} from "./MarketOps.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {CreditMarketplace} from "../../../contracts/market/CreditMarketplace.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @title MarketHandler
/// @notice The marketplace area: credit actions to feed it, plus listings, price updates, cancellations, purchases.
contract MarketHandler is MarketOps {
    constructor(
        GreenProjectRegistry registry_,
        CarbonCredit credit_,
        uint256[] memory projects_,
        CreditMarketplace market_,
        TestStablecoin usd_,
        address treasury_,
        uint256 startTime
    ) HandlerBase(4, startTime) CreditOps(registry_, credit_, projects_) MarketOps(market_, usd_, treasury_) {}
}
