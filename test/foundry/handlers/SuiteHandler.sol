// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {CreditOps} from "./CreditOps.sol";
import {PoolOps} from "./PoolOps.sol";
import {MarketOps} from "./MarketOps.sol";
import {EscrowOps} from "./EscrowOps.sol";
import {BondOps} from "./BondOps.sol";
import {BufferOps} from "./BufferOps.sol";
import {BufferPool} from "../../../contracts/buffer/BufferPool.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {CarbonPool} from "../../../contracts/pools/CarbonPool.sol";
import {CreditMarketplace} from "../../../contracts/market/CreditMarketplace.sol";
import {GreenBond} from "../../../contracts/bonds/GreenBond.sol";

/// @title SuiteHandler
/// @notice The whole suite at once: the same actors issue, hold, transfer and retire credits, deposit them into the
/// pool and take them out again, list and buy them on the marketplace, fund and settle escrow deals, and subscribe
/// to, trade, get paid by and redeem a green bond whose proceeds sit in the escrow; issuance withholds a buffer
/// share that reversals cancel and owners compensate.
contract SuiteHandler is PoolOps, MarketOps, BondOps, BufferOps {
    struct Credits {
        GreenProjectRegistry registry;
        CarbonCredit credit;
        uint256[] projects;
        CarbonPool pool;
        CreditMarketplace market;
        address treasury;
        BufferPool buffer;
    }

    constructor(
        Credits memory c,
        EscrowSetup memory e,
        GreenBond bond_,
        uint256 startTime
    )
        HandlerBase(4, startTime)
        CreditOps(c.registry, c.credit, c.projects)
        PoolOps(c.pool, c.treasury)
        MarketOps(c.market, e.token, c.treasury)
        EscrowOps(e)
        BondOps(bond_)
        BufferOps(c.buffer)
    {}

    /// @inheritdoc BufferOps
    function _issuable(uint256 projectId) internal view override(CreditOps, BufferOps) returns (bool) {
        return BufferOps._issuable(projectId);
    }

    /// @notice Every holder of the stablecoin: actors, both treasuries, the issuer, the bond, escrow and marketplace.
    function allMoneyHolders() external view returns (address[] memory all) {
        address[] memory a = this.bondMoneyHolders();
        all = new address[](a.length + 2);
        for (uint256 i; i < a.length; ++i) all[i] = a[i];
        all[a.length] = _marketTreasury;
        all[a.length + 1] = address(_market);
    }

    /// @notice Stablecoin minted by the handler, for trades and for deals and bonds.
    function ghostMinted() external view returns (uint256) {
        return ghostUsdMinted + ghostEscrowMinted;
    }
}
