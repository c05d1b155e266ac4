// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {
    IGreenProjectRegistry,
    ProjectStatus,
    Category,
    ProjectInput,
    Project
} from "../interfaces/IGreenProjectRegistry.sol";
import {Roles} from "../libraries/Roles.sol";
import {ProjectKey} from "../libraries/ProjectKey.sol";

/// @title GreenProjectRegistry
/// @notice Green projects and their lifecycle. Registrars add projects (Pending); verifiers
/// (validation/verification bodies) activate, suspend, reinstate and close them. Other
/// Treelion contracts read `isActive` before issuing, pooling or funding. Verifiers also set each project's
/// non-permanence buffer rate: the share of every issuance CarbonCredit withholds into the BufferPool.
/// A project is registered once per `(standard, externalId)`, compared after normalisation (see ProjectKey).
/// @dev Allowed transitions: Pending→Active, Active⇄Suspended, Pending|Active|Suspended→Closed.
contract GreenProjectRegistry is IGreenProjectRegistry, AccessControl {
    /// @notice Role that may register projects.
    bytes32 public constant REGISTRAR_ROLE = Roles.REGISTRAR;
    /// @notice Role of validation/verification bodies.
    bytes32 public constant VERIFIER_ROLE = Roles.VERIFIER;

    uint256 public constant MAX_NAME_LENGTH = 128;
    uint256 public constant MAX_STANDARD_LENGTH = 64;
    uint256 public constant MAX_EXTERNAL_ID_LENGTH = 64;
    uint256 public constant MAX_METHODOLOGY_LENGTH = 128;
    uint256 public constant MAX_URI_LENGTH = 512;
    /// @notice Highest buffer rate a verifier may set (50 %).
    uint16 public constant MAX_BUFFER_BPS = 5_000;

    /// @dev Slot 0 packs everything read on hot paths (status and buffer rate during issue, status during retire):
    /// 160 + 8 + 16 + 8 + 40 + 16 = 248 bits.
    struct ProjectData {
        address owner;
        Category category;
        bytes2 country;
        ProjectStatus status;
        uint40 registeredAt;
        uint16 bufferBps;
        string name;
        string standard;
        string externalId;
        string methodology;
        string metadataURI;
    }

    uint256 private _projectCount;
    mapping(uint256 projectId => ProjectData) private _projects;
    mapping(bytes32 key => uint256 projectId) private _idByKey;

    /// @param admin receives DEFAULT_ADMIN_ROLE (governance).
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IGreenProjectRegistry
    function registerProject(ProjectInput calldata p) external onlyRole(REGISTRAR_ROLE) returns (uint256 projectId) {
        if (p.owner == address(0)) revert ZeroAddress("owner");
        if (bytes(p.name).length == 0) revert EmptyName();
        _checkLength("name", p.name, MAX_NAME_LENGTH);
        _checkLength("standard", p.standard, MAX_STANDARD_LENGTH);
        _checkLength("externalId", p.externalId, MAX_EXTERNAL_ID_LENGTH);
        _checkLength("methodology", p.methodology, MAX_METHODOLOGY_LENGTH);
        _checkLength("metadataURI", p.metadataURI, MAX_URI_LENGTH);
        if (!_isCountryCode(p.country)) revert InvalidCountry(p.country);

        bytes32 key = _normalizedKey(p.standard, p.externalId);
        uint256 existing = _idByKey[key];
        if (existing != 0) revert DuplicateProject(p.standard, p.externalId, existing);

        projectId = ++_projectCount;
        _idByKey[key] = projectId;
        ProjectData storage d = _projects[projectId];
        d.owner = p.owner;
        d.category = p.category;
        d.country = p.country;
        d.status = ProjectStatus.Pending;
        d.registeredAt = uint40(block.timestamp);
        d.name = p.name;
        d.standard = p.standard;
        d.externalId = p.externalId;
        d.methodology = p.methodology;
        d.metadataURI = p.metadataURI;

        emit ProjectRegistered(projectId, p.owner, p.name, p.category, p.country, p.standard, p.externalId);
    }

    /// @inheritdoc IGreenProjectRegistry
    function setProjectStatus(uint256 projectId, ProjectStatus status) external onlyRole(VERIFIER_ROLE) {
        ProjectData storage d = _existing(projectId);
        ProjectStatus from = d.status;
        if (!_canTransition(from, status)) revert InvalidStatusTransition(projectId, from, status);
        d.status = status;
        emit ProjectStatusChanged(projectId, from, status);
    }

    /// @inheritdoc IGreenProjectRegistry
    function setBufferRate(uint256 projectId, uint16 bufferBps) external onlyRole(VERIFIER_ROLE) {
        ProjectData storage d = _existing(projectId);
        if (bufferBps > MAX_BUFFER_BPS) revert BufferRateTooHigh(bufferBps, MAX_BUFFER_BPS);
        d.bufferBps = bufferBps;
        emit BufferRateSet(projectId, bufferBps);
    }

    /// @inheritdoc IGreenProjectRegistry
    function setMetadataURI(uint256 projectId, string calldata metadataURI) external {
        ProjectData storage d = _existing(projectId);
        if (msg.sender != d.owner && !hasRole(REGISTRAR_ROLE, msg.sender)) {
            revert NotProjectOwnerOrRegistrar(projectId, msg.sender);
        }
        _checkLength("metadataURI", metadataURI, MAX_URI_LENGTH);
        d.metadataURI = metadataURI;
        emit ProjectMetadataUpdated(projectId, metadataURI);
    }

    /// @inheritdoc IGreenProjectRegistry
    function project(uint256 projectId) external view returns (Project memory p) {
        ProjectData storage d = _existing(projectId);
        p.owner = d.owner;
        p.name = d.name;
        p.category = d.category;
        p.country = d.country;
        p.standard = d.standard;
        p.externalId = d.externalId;
        p.methodology = d.methodology;
        p.metadataURI = d.metadataURI;
        p.status = d.status;
        p.registeredAt = d.registeredAt;
    }

    /// @inheritdoc IGreenProjectRegistry
    function nameOf(uint256 projectId) external view returns (string memory) {
        return _existing(projectId).name;
    }

    /// @inheritdoc IGreenProjectRegistry
    function standardOf(uint256 projectId) external view returns (string memory) {
        return _existing(projectId).standard;
    }

    /// @notice The project id registered for `(standard, externalId)` (compared normalised, see ProjectKey), or 0.
    function projectIdOf(string calldata standard, string calldata externalId) external view returns (uint256) {
        return _idByKey[ProjectKey.keyOf(standard, externalId)];
    }

    /// @inheritdoc IGreenProjectRegistry
    function bufferRateOf(uint256 projectId) external view returns (uint16) {
        return _existing(projectId).bufferBps;
    }

    /// @inheritdoc IGreenProjectRegistry
    function issuanceTermsOf(uint256 projectId) external view returns (ProjectStatus status, uint16 bufferBps) {
        ProjectData storage d = _existing(projectId);
        return (d.status, d.bufferBps);
    }

    /// @inheritdoc IGreenProjectRegistry
    function isActive(uint256 projectId) external view returns (bool) {
        ProjectData storage d = _projects[projectId];
        return d.owner != address(0) && d.status == ProjectStatus.Active;
    }

    /// @inheritdoc IGreenProjectRegistry
    function statusOf(uint256 projectId) external view returns (ProjectStatus) {
        return _existing(projectId).status;
    }

    /// @inheritdoc IGreenProjectRegistry
    function categoryOf(uint256 projectId) external view returns (Category) {
        return _existing(projectId).category;
    }

    /// @inheritdoc IGreenProjectRegistry
    function projectCount() external view returns (uint256) {
        return _projectCount;
    }

    /// @inheritdoc IGreenProjectRegistry
    function isVerifier(address account) external view returns (bool) {
        return hasRole(VERIFIER_ROLE, account);
    }

    /// @dev The duplicate key of `(standard, externalId)`; a string that is only whitespace counts as empty.
    function _normalizedKey(string calldata standard, string calldata externalId) private pure returns (bytes32) {
        bytes memory s = ProjectKey.normalize(standard);
        if (s.length == 0) revert EmptyStandard();
        bytes memory e = ProjectKey.normalize(externalId);
        if (e.length == 0) revert EmptyExternalId();
        return ProjectKey.keyOfNormalized(s, e);
    }

    function _existing(uint256 projectId) private view returns (ProjectData storage d) {
        d = _projects[projectId];
        if (d.owner == address(0)) revert ProjectNotFound(projectId);
    }

    function _canTransition(ProjectStatus from, ProjectStatus to) private pure returns (bool) {
        if (from == ProjectStatus.Pending) return to == ProjectStatus.Active || to == ProjectStatus.Closed;
        if (from == ProjectStatus.Active) return to == ProjectStatus.Suspended || to == ProjectStatus.Closed;
        if (from == ProjectStatus.Suspended) return to == ProjectStatus.Active || to == ProjectStatus.Closed;
        return false; // Closed is terminal
    }

    function _isCountryCode(bytes2 c) private pure returns (bool) {
        bytes1 a = c[0];
        bytes1 b = c[1];
        return a >= 0x41 && a <= 0x5A && b >= 0x41 && b <= 0x5A;
    }

    function _checkLength(string memory field, string calldata value, uint256 maxLength) private pure {
        uint256 len = bytes(value).length;
        if (len > maxLength) revert FieldTooLong(field, len, maxLength);
    }
}
