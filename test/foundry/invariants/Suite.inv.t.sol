// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoolChecks} from "../base/PoolChecks.sol";
import {MarketChecks} from "../base/MarketChecks.sol";
import {EscrowChecks} from "../base/EscrowChecks.sol";
import {BondChecks} from "../base/BondChecks.sol";
import {BufferChecks} from "../base/BufferChecks.sol";
import {SuiteHandler} from "../handlers/SuiteHandler.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title SuiteInvariants
/// @notice Every area at once, driven by one handler: credits, buffer, pool, marketplace, escrow and a green bond.
contract SuiteInvariants is PoolChecks, MarketChecks, EscrowChecks, BondChecks, BufferChecks {
    SuiteHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(3, address(this));
        address[] memory holders = new address[](4);
        for (uint256 i; i < 4; ++i) holders[i] = address(uint160(uint256(keccak256(abi.encode("actor", i)))));
        _setBufferRates(ps, 1_000);
        _deployBond(ps[0], holders);
        h = new SuiteHandler(
            SuiteHandler.Credits(registry, credit, ps, pool, market, treasury, buffer),
            _escrowSetup(ps[0]),
            bond,
            START_TIME
        );
        credit.grantRole(Roles.ISSUER, address(h));
        registry.grantRole(Roles.VERIFIER, address(h));
        pool.grantRole(Roles.POOL_ADMIN, address(h));
        market.grantRole(market.DEFAULT_ADMIN_ROLE(), address(h));
        pool.setFees(100, 50, treasury);
        targetContract(address(h));
    }

    /// @notice All area invariants together (credits, pool, market, escrow, bond, buffer) and money conserved across every
    /// holder of the stablecoin.
    function invariant_suiteBooks() public view {
        _checkCreditConservation(h);
        _checkCertificates(h, false);
        _checkPoolBacking(h);
        _checkPoolQueue(h);
        _checkMarketEscrow(h);
        _checkMarketFees(h);
        _checkEscrowBooks(h);
        _checkBondBooks(h, h.actors());
        _checkBufferBooks(h);
        _checkMoney(h.allMoneyHolders(), h.ghostMinted());
        _checkHandler(address(h));
    }
}
