// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarketChecks} from "../base/MarketChecks.sol";
import {MarketHandler} from "../handlers/MarketHandler.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title MarketInvariants
/// @notice CreditMarketplace under random listings, price changes, cancellations, purchases and fee changes.
contract MarketInvariants is MarketChecks {
    MarketHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(3, address(this));
        h = new MarketHandler(registry, credit, ps, market, usd, treasury, START_TIME);
        credit.grantRole(Roles.ISSUER, address(h));
        registry.grantRole(Roles.VERIFIER, address(h));
        market.grantRole(market.DEFAULT_ADMIN_ROLE(), address(h));
        targetContract(address(h));
    }

    /// @notice Credits held by the marketplace = Σ open listings, per batch; buyer + seller + treasury money is
    /// conserved (the marketplace keeps none, the treasury has exactly the fees); credits are conserved; no
    /// in-handler check failed (price rounded up, fee rounded down, seller and treasury paid exactly).
    function invariant_marketBooks() public view {
        _checkMarketEscrow(h);
        _checkMarketFees(h);
        _checkMoney(h.moneyHolders(), h.ghostUsdMinted());
        _checkCreditConservation(h);
        _checkCertificates(h, false);
        _checkHandler(address(h));
    }
}
