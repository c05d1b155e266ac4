// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IGreenBondFactory} from "../interfaces/IGreenBondFactory.sol";
import {BondTerms} from "../interfaces/IGreenBond.sol";
import {IGreenProjectRegistry} from "../interfaces/IGreenProjectRegistry.sol";
import {IGreenBondDeployer} from "../interfaces/IGreenBondDeployer.sol";
import {Roles} from "../libraries/Roles.sol";
import {BondTermsLib} from "../libraries/BondTermsLib.sol";

/// @title GreenBondFactory
/// @notice Creates GreenBonds for onboarded issuers. Who may create: accounts holding ISSUER_ROLE on this factory
/// (granted by governance after issuer due diligence), and only bonds where they are the issuer. Every bond uses
/// the factory's MilestoneEscrow and ComplianceRegistry; its use-of-proceeds project must be Active and its
/// verifiers registry verifiers (they become the bond's KPI verifiers). Bonds get `bondAdmin` as DEFAULT_ADMIN and
/// PAUSER, `bondPauser` (the guardian) as PAUSER and `bondAgent` as AGENT.
contract GreenBondFactory is IGreenBondFactory, AccessControl {
    /// @notice Role of onboarded bond issuers.
    bytes32 public constant ISSUER_ROLE = Roles.ISSUER;
    /// @notice Bound on use-of-proceeds verifiers (BondTermsLib's, as every limit of the terms).
    uint256 public constant MAX_VERIFIERS = BondTermsLib.MAX_VERIFIERS;
    /// @notice Dispute-window bounds of MilestoneEscrow (checked so a bond's deal cannot fail at close).
    uint64 public constant MIN_DISPUTE_WINDOW = BondTermsLib.MIN_DISPUTE_WINDOW;
    uint64 public constant MAX_DISPUTE_WINDOW = BondTermsLib.MAX_DISPUTE_WINDOW;
    /// @notice Longest grace period (money raised waits at most this long after the subscription for the close).
    uint64 public constant MAX_GRACE_PERIOD = BondTermsLib.MAX_GRACE_PERIOD;

    IGreenProjectRegistry public immutable registry;
    address public immutable escrow;
    address public immutable compliance;
    IGreenBondDeployer public immutable deployer;

    /// @notice Receives DEFAULT_ADMIN_ROLE and PAUSER_ROLE on new bonds.
    address public bondAdmin;
    /// @notice Receives AGENT_ROLE on new bonds.
    address public bondAgent;
    /// @notice Also receives PAUSER_ROLE on new bonds (the guardian).
    address public bondPauser;

    address[] private _bonds;
    mapping(address bond => bool) private _isBond;

    /// @param admin DEFAULT_ADMIN_ROLE of the factory (governance)
    /// @param registry_ the GreenProjectRegistry
    /// @param escrow_ the MilestoneEscrow every bond's proceeds go to
    /// @param compliance_ the ComplianceRegistry every bond reads
    /// @param deployer_ the GreenBondDeployer holding the bond creation code
    /// @param bondAdmin_ admin + pauser of new bonds
    /// @param bondAgent_ agent of new bonds
    /// @param bondPauser_ second pauser of new bonds (the guardian)
    constructor(
        address admin,
        address registry_,
        address escrow_,
        address compliance_,
        address deployer_,
        address bondAdmin_,
        address bondAgent_,
        address bondPauser_
    ) {
        if (admin == address(0)) revert ZeroAddress("admin");
        if (registry_ == address(0)) revert ZeroAddress("registry");
        if (escrow_ == address(0)) revert ZeroAddress("escrow");
        if (compliance_ == address(0)) revert ZeroAddress("compliance");
        if (deployer_ == address(0)) revert ZeroAddress("deployer");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        registry = IGreenProjectRegistry(registry_);
        escrow = escrow_;
        compliance = compliance_;
        deployer = IGreenBondDeployer(deployer_);
        _setBondRoles(bondAdmin_, bondAgent_);
        _setBondPauser(bondPauser_);
    }

    /// @inheritdoc IGreenBondFactory
    function createBond(
        BondTerms calldata terms,
        string calldata name,
        string calldata symbol
    ) external onlyRole(ISSUER_ROLE) returns (address bond) {
        if (terms.issuer != msg.sender) revert IssuerNotCaller(terms.issuer, msg.sender);
        if (terms.escrow != escrow) revert UnapprovedEscrow(terms.escrow, escrow);
        if (terms.compliance != compliance) revert UnapprovedCompliance(terms.compliance, compliance);
        if (bytes(name).length == 0 || bytes(symbol).length == 0) revert EmptyNameOrSymbol();
        bond = deployer.deploy(terms, name, symbol, bondAdmin, bondAgent, bondPauser);
        _bonds.push(bond);
        _isBond[bond] = true;
        emit BondCreated(bond, terms.issuer, terms.paymentToken, terms);
    }

    /// @inheritdoc IGreenBondFactory
    function setBondRoles(address bondAdmin_, address bondAgent_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setBondRoles(bondAdmin_, bondAgent_);
    }

    /// @inheritdoc IGreenBondFactory
    function setBondPauser(address bondPauser_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setBondPauser(bondPauser_);
    }

    /// @inheritdoc IGreenBondFactory
    function isBond(address bond) external view returns (bool) {
        return _isBond[bond];
    }

    /// @inheritdoc IGreenBondFactory
    function bondCount() external view returns (uint256) {
        return _bonds.length;
    }

    /// @inheritdoc IGreenBondFactory
    function bondAt(uint256 index) external view returns (address) {
        return _bonds[index];
    }

    function _setBondRoles(address bondAdmin_, address bondAgent_) private {
        if (bondAdmin_ == address(0)) revert ZeroAddress("bondAdmin");
        if (bondAgent_ == address(0)) revert ZeroAddress("bondAgent");
        bondAdmin = bondAdmin_;
        bondAgent = bondAgent_;
        emit BondRolesUpdated(bondAdmin_, bondAgent_);
    }

    function _setBondPauser(address bondPauser_) private {
        if (bondPauser_ == address(0)) revert ZeroAddress("bondPauser");
        bondPauser = bondPauser_;
        emit BondPauserUpdated(bondPauser_);
    }
}
