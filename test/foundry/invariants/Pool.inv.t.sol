// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolChecks} from "../base/PoolChecks.sol";
import {PoolHandler} from "../handlers/PoolHandler.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title PoolInvariants
/// @notice CarbonPool under random deposits, pushes, redemptions, retirements, transfers and fee changes.
contract PoolInvariants is PoolChecks {
    PoolHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(3, address(this));
        h = new PoolHandler(registry, credit, ps, pool, treasury, START_TIME);
        credit.grantRole(Roles.ISSUER, address(h));
        registry.grantRole(Roles.VERIFIER, address(h));
        pool.grantRole(Roles.POOL_ADMIN, address(h));
        pool.setFees(100, 50, treasury);
        targetContract(address(h));
    }

    /// @notice totalSupply == Σ held kg × 1e15 (and every booked kg is really held); the queue links are
    /// consistent and hold exactly the batches with credits, in arrival order; credits are conserved; no
    /// in-handler check failed.
    function invariant_poolBackingAndQueue() public view {
        _checkPoolBacking(h);
        _checkPoolQueue(h);
        _checkCreditConservation(h);
        _checkCertificates(h, false);
        _checkHandler(address(h));
    }
}
