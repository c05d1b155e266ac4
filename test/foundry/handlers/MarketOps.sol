// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditOps} from "./CreditOps.sol";
import {CreditMarketplace} from "../../../contracts/market/CreditMarketplace.sol";
import {Listing} from "../../../contracts/interfaces/ICreditMarketplace.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @title MarketOps
/// @notice CreditMarketplace listings, price updates, cancellations, purchases (plain and buy-and-retire) and fee
/// changes, paid in a 6-decimal stablecoin. Ghosts: every listing's remaining kg, what sellers were paid, what the
/// treasury took, how much money was minted to the actors.
abstract contract MarketOps is CreditOps {
    CreditMarketplace internal immutable _market;
    TestStablecoin internal immutable _usd;
    address internal immutable _marketTreasury;

    uint256 internal constant KG_PER_TONNE = 1000;
    uint256 internal constant MAX_PRICE = 1_000e6; // 1,000 tUSD per tonne

    mapping(uint256 listingId => uint256) public ghostListingKg;
    uint256[] internal _openListings;
    uint256 public ghostSellerProceeds;
    uint256 public ghostMarketFees;
    /// @notice Stablecoin minted to actors by this handler (start balances and top-ups).
    uint256 public ghostUsdMinted;

    constructor(CreditMarketplace market_, TestStablecoin usd_, address marketTreasury_) {
        _market = market_;
        _usd = usd_;
        _marketTreasury = marketTreasury_;
        _venues.push(address(market_));
        for (uint256 i; i < _actors.length; ++i) {
            _mintUsd(_actors[i], 1_000_000e6);
            vm.startPrank(_actors[i]);
            _credit.setApprovalForAll(address(market_), true);
            usd_.approve(address(market_), type(uint256).max);
            vm.stopPrank();
        }
    }

    /// @notice An actor lists part of a holding at a price per tonne.
    function marketList(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed, uint256 priceSeed) public timed {
        (address seller, uint256 batchId, uint256 bal) = _holding(actorSeed, batchSeed);
        if (bal == 0) return issue(batchSeed, amountSeed, actorSeed, actorSeed);
        uint256 amount = bound(amountSeed, 1, bal);
        vm.prank(seller);
        uint256 id = _market.list(batchId, amount, address(_usd), bound(priceSeed, 1, MAX_PRICE));
        ghostListingKg[id] = amount;
        _openListings.push(id);
    }

    /// @notice The seller of an open listing changes its price.
    function marketUpdatePrice(uint256 listingSeed, uint256 priceSeed) public timed {
        if (_openListings.length == 0) return marketList(listingSeed, listingSeed, priceSeed, priceSeed);
        uint256 id = _openListings[listingSeed % _openListings.length];
        vm.prank(_market.listing(id).seller);
        _market.updatePrice(id, bound(priceSeed, 1, MAX_PRICE));
    }

    /// @notice The seller of an open listing cancels it and gets the rest of its credits back.
    function marketCancel(uint256 listingSeed) public timed {
        if (_openListings.length == 0) return marketList(listingSeed, listingSeed, listingSeed, listingSeed);
        uint256 k = listingSeed % _openListings.length;
        uint256 id = _openListings[k];
        Listing memory l = _market.listing(id);
        uint256 before = _credit.balanceOf(l.seller, l.batchId);
        vm.prank(l.seller);
        _market.cancel(id);
        _check(_credit.balanceOf(l.seller, l.batchId) == before + ghostListingKg[id], "cancel returned wrong kg");
        ghostListingKg[id] = 0;
        _closeListing(k);
    }

    /// @notice Another actor buys part of an open listing (and retires it when `andRetire` and the project is
    /// Active). The price is ceil(kg × price / 1000); the fee floor(price × bps / 10,000) goes to the treasury.
    function marketBuy(uint256 buyerSeed, uint256 listingSeed, uint256 amountSeed, bool andRetire) public timed {
        if (_openListings.length == 0) return marketList(buyerSeed, listingSeed, amountSeed, amountSeed);
        uint256 k = listingSeed % _openListings.length;
        uint256 id = _openListings[k];
        Listing memory l = _market.listing(id);
        address buyer = _other(l.seller, buyerSeed);
        uint256 amount = bound(amountSeed, 1, l.remainingKg);
        (uint256 total, uint256 fee) = _market.quote(id, amount);
        _check(total == (amount * l.pricePerTonne + KG_PER_TONNE - 1) / KG_PER_TONNE, "price is not rounded up");
        _check(fee == (total * _market.feeBps()) / 10_000, "fee is not rounded down");
        if (_usd.balanceOf(buyer) < total) _mintUsd(buyer, total);
        uint256 sellerBefore = _usd.balanceOf(l.seller);
        uint256 treasuryBefore = _usd.balanceOf(_marketTreasury);
        bool retiring = andRetire && _retirable(l.batchId);
        vm.prank(buyer);
        if (retiring) {
            uint256 certificateId = _market.buyAndRetire(id, amount, total, address(0), "Buyer", "offset");
            _bookRetirement(certificateId, l.batchId, amount);
        } else {
            _market.buy(id, amount, total);
        }
        _check(_usd.balanceOf(l.seller) == sellerBefore + total - fee, "seller paid the wrong amount");
        _check(_usd.balanceOf(_marketTreasury) == treasuryBefore + fee, "treasury paid the wrong fee");
        ghostSellerProceeds += total - fee;
        ghostMarketFees += fee;
        ghostListingKg[id] -= amount;
        if (ghostListingKg[id] == 0) _closeListing(k);
    }

    /// @notice The admin sets the marketplace fee (0 – 10 %).
    function marketSetFee(uint16 bps) public timed {
        _market.setFee(uint16(bound(bps, 0, 1000)), _marketTreasury);
    }

    function moneyHolders() public view virtual returns (address[] memory all) {
        all = new address[](_actors.length + 2);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        all[_actors.length] = _marketTreasury;
        all[_actors.length + 1] = address(_market);
    }

    function _mintUsd(address to, uint256 amount) internal {
        _usd.mint(to, amount);
        ghostUsdMinted += amount;
    }

    function _closeListing(uint256 k) private {
        _openListings[k] = _openListings[_openListings.length - 1];
        _openListings.pop();
    }
}
