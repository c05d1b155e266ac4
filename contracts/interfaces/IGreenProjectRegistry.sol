// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Lifecycle of a green project: Pending → Active ⇄ Suspended → Closed.
enum ProjectStatus {
    Pending,
    Active,
    Suspended,
    Closed
}

/// @notice Project category; bit `i` of a pool's category mask allows `Category(i)`.
enum Category {
    Forestry,
    RenewableEnergy,
    EnergyEfficiency,
    Methane,
    BlueCarbon,
    Agriculture,
    CarbonRemoval,
    Other
}

/// @notice What a registrar submits for a new project.
struct ProjectInput {
    address owner;
    string name;
    Category category;
    bytes2 country;
    string standard;
    string externalId;
    string methodology;
    string metadataURI;
}

/// @notice A registered project: every input field plus status and registration time.
struct Project {
    address owner;
    string name;
    Category category;
    bytes2 country;
    string standard;
    string externalId;
    string methodology;
    string metadataURI;
    ProjectStatus status;
    uint64 registeredAt;
}

/// @title IGreenProjectRegistry
/// @notice Registry of verified green projects and their lifecycle.
interface IGreenProjectRegistry {
    /// @notice A project was registered (status Pending).
    event ProjectRegistered(
        uint256 indexed projectId,
        address indexed owner,
        string name,
        Category category,
        bytes2 country,
        string standard,
        string externalId
    );
    /// @notice A project's status changed.
    event ProjectStatusChanged(uint256 indexed projectId, ProjectStatus from, ProjectStatus to);
    /// @notice A project's metadata URI changed.
    event ProjectMetadataUpdated(uint256 indexed projectId, string metadataURI);
    /// @notice A project's non-permanence buffer rate changed (applies to later issuance).
    event BufferRateSet(uint256 indexed projectId, uint16 bufferBps);

    /// @dev No project with this id.
    error ProjectNotFound(uint256 projectId);
    /// @dev `from → to` is not an allowed lifecycle transition.
    error InvalidStatusTransition(uint256 projectId, ProjectStatus from, ProjectStatus to);
    /// @dev A project with the same standard and external id exists.
    error DuplicateProject(string standard, string externalId, uint256 existingProjectId);
    /// @dev `field` names the required address that was zero (the suite's one zero-address error).
    error ZeroAddress(string field);
    /// @dev The project name is empty.
    error EmptyName();
    /// @dev The standard is empty.
    error EmptyStandard();
    /// @dev The external id (registry id at the standard) is empty.
    error EmptyExternalId();
    /// @dev The country is not two uppercase ASCII letters (ISO 3166-1 alpha-2).
    error InvalidCountry(bytes2 country);
    /// @dev A string field is longer than allowed.
    error FieldTooLong(string field, uint256 length, uint256 maxLength);
    /// @dev Only the project owner or a registrar may do this.
    error NotProjectOwnerOrRegistrar(uint256 projectId, address account);
    /// @dev A buffer rate above MAX_BUFFER_BPS.
    error BufferRateTooHigh(uint16 bps, uint16 max);

    /// @notice Registers a project in status Pending. REGISTRAR_ROLE. Ids start at 1.
    function registerProject(ProjectInput calldata p) external returns (uint256 projectId);

    /// @notice Moves a project along its lifecycle. VERIFIER_ROLE.
    function setProjectStatus(uint256 projectId, ProjectStatus status) external;

    /// @notice Updates the off-chain metadata URI. The project owner or a registrar.
    function setMetadataURI(uint256 projectId, string calldata metadataURI) external;

    /// @notice Sets the share of every later issuance of the project that CarbonCredit withholds into the
    /// BufferPool, in basis points (≤ MAX_BUFFER_BPS = 5,000). VERIFIER_ROLE.
    function setBufferRate(uint256 projectId, uint16 bufferBps) external;

    /// @notice The project's buffer rate in basis points (0 by default; reverts ProjectNotFound for unknown ids).
    function bufferRateOf(uint256 projectId) external view returns (uint16);

    /// @notice Status and buffer rate in one call, as issuance needs them (reverts ProjectNotFound).
    function issuanceTermsOf(uint256 projectId) external view returns (ProjectStatus status, uint16 bufferBps);

    /// @notice The project with all its fields.
    function project(uint256 projectId) external view returns (Project memory);

    /// @notice True when the project exists and is Active.
    function isActive(uint256 projectId) external view returns (bool);

    /// @notice Current status (reverts ProjectNotFound for unknown ids).
    function statusOf(uint256 projectId) external view returns (ProjectStatus);

    /// @notice Category of a project (reverts ProjectNotFound for unknown ids).
    function categoryOf(uint256 projectId) external view returns (Category);

    /// @notice The project's display name (reverts ProjectNotFound for unknown ids).
    function nameOf(uint256 projectId) external view returns (string memory);

    /// @notice The project's standard string (reverts ProjectNotFound for unknown ids).
    function standardOf(uint256 projectId) external view returns (string memory);

    /// @notice Number of registered projects (the highest id).
    function projectCount() external view returns (uint256);

    /// @notice Whether `account` holds the verifier role (used by escrow attestations).
    function isVerifier(address account) external view returns (bool);
}
