// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BondTerms} from "./IGreenBond.sol";
import {ProjectStatus} from "./IGreenProjectRegistry.sol";

/// @title IGreenBondFactory
/// @notice Creates GreenBonds for onboarded issuers (ISSUER_ROLE) and keeps the official list of bonds.
interface IGreenBondFactory {
    /// @notice A bond was created; `terms` are exactly the terms it was deployed with.
    event BondCreated(address indexed bond, address indexed issuer, address indexed paymentToken, BondTerms terms);
    /// @notice The accounts that receive admin/pauser and agent roles on bonds created from now on changed.
    event BondRolesUpdated(address bondAdmin, address bondAgent);
    /// @notice The account that receives PAUSER_ROLE (beside `bondAdmin`) on bonds created from now on changed.
    event BondPauserUpdated(address bondPauser);

    /// @dev The terms name another issuer than the caller.
    error IssuerNotCaller(address issuer, address caller);
    /// @dev The terms name another escrow than the factory's.
    error UnapprovedEscrow(address escrow, address expected);
    /// @dev The terms name another compliance registry than the factory's.
    error UnapprovedCompliance(address compliance, address expected);
    /// @dev The use-of-proceeds project is not Active in the GreenProjectRegistry.
    error ProjectNotActive(uint256 projectId, ProjectStatus status);
    /// @dev No such project in the registry (the registry's own error, bubbled up).
    error ProjectNotFound(uint256 projectId);
    /// @dev A use-of-proceeds verifier does not hold VERIFIER_ROLE in the registry.
    error NotRegistryVerifier(address account);
    /// @dev The deal threshold is 0 or above the number of verifiers.
    error InvalidThreshold(uint8 threshold, uint256 verifiers);
    /// @dev The deal arbiter is zero, the issuer or the bond itself (the escrow needs an independent arbiter).
    error ArbiterNotIndependent(address arbiter);
    /// @dev A use-of-proceeds verifier is the bond itself (the deal's funder, which the escrow refuses).
    error VerifierNotIndependent(address verifier);
    /// @dev The issuer cannot verify its own milestones or KPI.
    error VerifierIsIssuer(address account);
    /// @dev Name or symbol is empty.
    error EmptyNameOrSymbol();
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev The deal's dispute window is outside the MilestoneEscrow's bounds (the bond could never close).
    error InvalidDisputeWindow(uint64 disputeWindow, uint64 min, uint64 max);
    /// @dev A verifier is listed twice (the MilestoneEscrow refuses such a deal, so the bond could never close).
    error DuplicateVerifier(address account);
    /// @dev The grace period exceeds MAX_GRACE_PERIOD (90 days), or subscriptionEnd + gracePeriod overflows uint64.
    error GracePeriodTooLong(uint64 gracePeriod);

    /// @notice Creates a bond. ISSUER_ROLE; `terms.issuer` must be the caller; `terms.escrow` and
    /// `terms.compliance` must be the factory's; the project must be Active and every verifier a registry verifier.
    function createBond(
        BondTerms calldata terms,
        string calldata name,
        string calldata symbol
    ) external returns (address bond);

    /// @notice Sets who receives DEFAULT_ADMIN_ROLE + PAUSER_ROLE (`bondAdmin`) and AGENT_ROLE (`bondAgent`) on
    /// future bonds. DEFAULT_ADMIN_ROLE.
    function setBondRoles(address bondAdmin, address bondAgent) external;

    /// @notice Sets who also receives PAUSER_ROLE on future bonds (the guardian: pauses at once, cannot unpause).
    /// DEFAULT_ADMIN_ROLE. Reverts `ZeroAddress` for the zero address; emits `BondPauserUpdated`.
    function setBondPauser(address bondPauser) external;

    /// @notice True for bonds created by this factory.
    function isBond(address bond) external view returns (bool);

    /// @notice Number of bonds created.
    function bondCount() external view returns (uint256);

    /// @notice The `index`-th bond created (0-based).
    function bondAt(uint256 index) external view returns (address);
}
