// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TreelionTest} from "./TreelionTest.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {RetirementCertificate} from "../../../contracts/credits/RetirementCertificate.sol";
import {CarbonPool} from "../../../contracts/pools/CarbonPool.sol";
import {CreditMarketplace} from "../../../contracts/market/CreditMarketplace.sol";
import {MilestoneEscrow} from "../../../contracts/escrow/MilestoneEscrow.sol";
import {ComplianceRegistry} from "../../../contracts/bonds/ComplianceRegistry.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";
import {BufferPool} from "../../../contracts/buffer/BufferPool.sol";
import {ProjectInput, ProjectStatus, Category} from "../../../contracts/interfaces/IGreenProjectRegistry.sol";
import {Criteria} from "../../../contracts/interfaces/ICarbonPool.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title SuiteFixture
/// @notice Deploys the Treelion contracts the way the deploy scripts wire them, with this test as admin.
abstract contract SuiteFixture is TreelionTest {
    GreenProjectRegistry internal registry;
    RetirementCertificate internal certificate;
    CarbonCredit internal credit;
    CarbonPool internal pool;
    CreditMarketplace internal market;
    MilestoneEscrow internal escrow;
    ComplianceRegistry internal compliance;
    TestStablecoin internal usd;
    BufferPool internal buffer;

    address internal treasury = address(uint160(uint256(keccak256("treasury"))));
    address internal escrowTreasury = address(uint160(uint256(keccak256("escrow treasury"))));
    address[] internal verifiers;

    uint16 internal constant MARKET_FEE_BPS = 250;
    uint16 internal constant ESCROW_FEE_BPS = 100;

    function _deploySuite() internal {
        vm.warp(START_TIME);
        registry = new GreenProjectRegistry(address(this));
        certificate = new RetirementCertificate(address(this));
        credit = new CarbonCredit(address(this), registry, certificate);
        certificate.setMinter(credit);
        pool = new CarbonPool(address(this), credit, "Treelion Nature Pool", "TNP");
        market = new CreditMarketplace(address(this), credit, treasury, MARKET_FEE_BPS);
        escrow = new MilestoneEscrow(address(this), registry, escrowTreasury, ESCROW_FEE_BPS);
        compliance = new ComplianceRegistry(address(this));
        usd = new TestStablecoin();
        buffer = new BufferPool(address(this), credit, registry);
        credit.setBufferPool(address(buffer));
        market.setPaymentToken(address(usd), true);
        registry.grantRole(Roles.REGISTRAR, address(this));
        registry.grantRole(Roles.VERIFIER, address(this));
        pool.grantRole(Roles.POOL_ADMIN, address(this));
        for (uint256 i; i < 3; ++i) {
            verifiers.push(address(uint160(uint256(keccak256(abi.encode("verifier", i))))));
            registry.grantRole(Roles.VERIFIER, verifiers[i]);
        }
        // every category, any standard, vintages from 2000
        pool.setCriteria(Criteria({minVintage: 2000, categoryMask: 0xff, standards: new bytes32[](0)}));
    }

    /// @dev Every project withholds `bps` of each issuance into the buffer.
    function _setBufferRates(uint256[] memory ids, uint16 bps) internal {
        for (uint256 i; i < ids.length; ++i) registry.setBufferRate(ids[i], bps);
    }

    /// @dev Registers and activates `n` projects owned by `owner`; returns their ids.
    function _activeProjects(uint256 n, address owner) internal returns (uint256[] memory ids) {
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = registry.registerProject(
                ProjectInput({
                    owner: owner,
                    name: string.concat("Project ", vm.toString(i + 1)),
                    category: Category(i % 8),
                    country: "BR",
                    standard: "VCS",
                    externalId: string.concat("VCS-", vm.toString(i + 1)),
                    methodology: "VM0047",
                    metadataURI: ""
                })
            );
            registry.setProjectStatus(ids[i], ProjectStatus.Active);
        }
    }

    /// @dev No in-handler check failed (the handler logs them: a failing assertion there would only count as a revert).
    function _checkHandler(address h) internal view {
        (bool ok, bytes memory ret) = h.staticcall(abi.encodeWithSignature("violations()"));
        assertTrue(ok, "violations()");
        uint256 v = abi.decode(ret, (uint256));
        if (v != 0) {
            (, bytes memory what) = h.staticcall(abi.encodeWithSignature("firstViolation()"));
            assertEq(v, 0, abi.decode(what, (string)));
        }
    }

    /// @dev Σ balances of `holders` equals `minted` and nothing else exists (buyer + seller + treasury conserved).
    function _checkMoney(address[] memory holders, uint256 minted) internal view {
        uint256 sum;
        for (uint256 i; i < holders.length; ++i) sum += usd.balanceOf(holders[i]);
        assertEq(sum, minted, "money not conserved between the known holders");
        assertEq(usd.totalSupply(), minted, "money minted outside the handler");
    }

    /// @dev `list` with `extra` appended.
    function _with(address[] memory list, address extra) internal pure returns (address[] memory all) {
        all = new address[](list.length + 1);
        for (uint256 i; i < list.length; ++i) all[i] = list[i];
        all[list.length] = extra;
    }
}
