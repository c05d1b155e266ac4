// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditChecks} from "./CreditChecks.sol";
import {MarketOps} from "../handlers/MarketOps.sol";
import {Listing} from "../../../contracts/interfaces/ICreditMarketplace.sol";

/// @title MarketChecks
/// @notice The marketplace invariants, shared by the market and whole-suite campaigns.
abstract contract MarketChecks is CreditChecks {
    /// @dev The marketplace holds, per batch, exactly the kg of its open listings; each listing's remaining kg
    /// matches the ghost.
    function _checkMarketEscrow(MarketOps h) internal view {
        uint256 batches = credit.batchCount();
        uint256[] memory listed = new uint256[](batches + 1);
        uint256 n = market.listingCount();
        for (uint256 id = 1; id <= n; ++id) {
            Listing memory l = market.listing(id);
            assertEq(l.remainingKg, h.ghostListingKg(id), "listing remaining kg differs from the ghost");
            listed[l.batchId] += l.remainingKg;
        }
        for (uint256 b = 1; b <= batches; ++b) {
            assertEq(credit.balanceOf(address(market), b), listed[b], "market credits != open listings");
        }
    }

    /// @dev The marketplace keeps no money and the treasury holds exactly the fees charged.
    function _checkMarketFees(MarketOps h) internal view {
        assertEq(usd.balanceOf(address(market)), 0, "the marketplace kept money");
        assertEq(usd.balanceOf(treasury), h.ghostMarketFees(), "treasury balance != fees charged");
    }
}
