// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditChecks} from "../base/CreditChecks.sol";
import {CreditsHandler} from "../handlers/CreditsHandler.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title CreditsInvariants
/// @notice CarbonCredit + RetirementCertificate under random issuance, transfers and retirements.
contract CreditsInvariants is CreditChecks {
    CreditsHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(3, address(this));
        h = new CreditsHandler(registry, credit, ps, START_TIME);
        credit.grantRole(Roles.ISSUER, address(h));
        registry.grantRole(Roles.VERIFIER, address(h));
        targetContract(address(h));
    }

    /// @notice Σ balances + retired = issued, per batch; each project's serial ranges are sorted and disjoint and
    /// its list holds every batch of the project; one certificate per retirement call, with the kg of that call; no
    /// in-handler check failed (refused overlaps, certificate contents).
    function invariant_creditBooks() public view {
        _checkCreditConservation(h);
        _checkSerialRanges(h);
        _checkCertificates(h, true);
        _checkHandler(address(h));
    }
}
