// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {CarbonCredit} from "../../../contracts/credits/CarbonCredit.sol";
import {RetirementCertificate} from "../../../contracts/credits/RetirementCertificate.sol";
import {IssueParams, ICarbonCredit} from "../../../contracts/interfaces/ICarbonCredit.sol";
import {ProjectStatus} from "../../../contracts/interfaces/IGreenProjectRegistry.sol";
import {CertificateView} from "../../../contracts/interfaces/IRetirementCertificate.sol";

/// @title CreditOps
/// @notice Credit issuance, transfers, retirements and project status, with ghost books: per batch the serial range
/// and the kg issued and retired, per project the sorted list of its ranges, per certificate the kg it must state.
/// Serials are drawn from a bounded space per project, so gaps, hint insertions and overlaps all happen.
abstract contract CreditOps is HandlerBase {
    uint64 internal constant SERIAL_SPACE = 4_000;
    uint64 internal constant MAX_TONNES = 40;
    uint16 internal constant VINTAGE = 2024;

    GreenProjectRegistry internal immutable _registry;
    CarbonCredit internal immutable _credit;
    RetirementCertificate internal immutable _certificate;

    uint256[] internal _projects;

    struct Range {
        uint64 start;
        uint64 end;
        uint256 batchId;
    }

    /// @dev Per project, its ranges sorted by serial (the model the contract's linked list must match).
    mapping(uint256 projectId => Range[]) internal _rangesOf;
    mapping(uint256 batchId => uint256) public ghostIssuedKg;
    mapping(uint256 batchId => uint256) public ghostRetiredKg;
    uint256 public ghostBatches;
    /// @notice kg each certificate must state, and the number of retirement calls that succeeded.
    mapping(uint256 certificateId => uint256) public ghostCertificateKg;
    uint256 public ghostRetirementCalls;
    uint256 public ghostRetiredTotalKg;

    /// @dev Other holders of credits whose balances count in conservation (pool, marketplace, ...).
    address[] internal _venues;

    constructor(GreenProjectRegistry registry_, CarbonCredit credit_, uint256[] memory projects_) {
        _registry = registry_;
        _credit = credit_;
        _certificate = RetirementCertificate(address(credit_.certificate()));
        _projects = projects_;
    }

    // ───────────────────────────── actions ─────────────────────────────

    /// @notice Issues a batch into a free serial gap of a project (plain issue when it goes on top, else with the
    /// hint of the range just below), to an actor.
    function issue(uint256 projectSeed, uint256 serialSeed, uint256 tonnesSeed, uint256 toSeed) public timed {
        uint256 projectId = _activeProject(projectSeed);
        if (projectId == 0) return; // every project suspended or owing a reversal compensation
        (bool found, uint64 start, uint64 end, uint256 below) = _freeRange(projectId, serialSeed, tonnesSeed);
        if (!found) return; // the project's serial space is full (never within the configured depth)
        _issueAt(projectId, start, end, below, _actor(toSeed));
    }

    /// @notice Tries to issue a range that overlaps an existing one (or with a wrong hint): must revert, books
    /// unchanged.
    function issueOverlapping(uint256 projectSeed, uint256 pick, uint256 hintSeed) public timed {
        uint256 projectId = _activeProject(projectSeed);
        if (projectId == 0) return;
        Range[] storage rs = _rangesOf[projectId];
        if (rs.length == 0) return issue(projectSeed, pick, hintSeed, pick);
        Range memory r = rs[pick % rs.length];
        uint64 start = r.start + uint64(hintSeed % (r.end - r.start + 1));
        IssueParams memory p = _params(projectId, start, start, _actor(pick));
        uint256 before = _credit.batchCount();
        bool useHint = hintSeed % 2 == 0;
        uint256 hint = rs[hintSeed % rs.length].batchId;
        (bool ok, bytes memory err) = address(_credit).call(
            useHint ? abi.encodeCall(ICarbonCredit.issueWithHint, (p, hint)) : abi.encodeCall(ICarbonCredit.issue, (p))
        );
        _check(!ok, "overlapping serial range was accepted");
        bytes4 sel = bytes4(err);
        _check(
            sel == ICarbonCredit.SerialRangeOverlap.selector ||
                sel == ICarbonCredit.InvalidSerialHint.selector ||
                sel == ICarbonCredit.SerialRangeHintRequired.selector,
            "overlap reverted with an unexpected error"
        );
        _check(_credit.batchCount() == before, "a refused issuance created a batch");
    }

    /// @notice Moves credits between two actors.
    function transferCredits(uint256 fromSeed, uint256 toSeed, uint256 batchSeed, uint256 amountSeed) public timed {
        (address from, uint256 batchId, uint256 bal) = _holding(fromSeed, batchSeed);
        if (bal == 0) return issue(batchSeed, amountSeed, fromSeed, fromSeed);
        address to = _other(from, toSeed);
        uint256 amount = bound(amountSeed, 1, bal);
        vm.prank(from);
        _credit.safeTransferFrom(from, to, batchId, amount, "");
    }

    /// @notice An actor retires part of one batch (itself, or through an approved operator with retireFrom).
    function retire(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed, bool viaOperator) public timed {
        (address account, uint256 batchId, uint256 bal) = _holding(actorSeed, batchSeed);
        if (bal == 0) return issue(batchSeed, amountSeed, actorSeed, actorSeed);
        uint256 amount = bound(amountSeed, 1, bal);
        address beneficiary = _other(account, amountSeed);
        uint256 certificateId;
        if (viaOperator) {
            address operator = _other(account, actorSeed + 1);
            vm.prank(account);
            _credit.setApprovalForAll(operator, true);
            vm.prank(operator);
            certificateId = _credit.retireFrom(account, batchId, amount, beneficiary, "Beneficiary", "fuzz");
            vm.prank(account);
            _credit.setApprovalForAll(operator, false);
        } else {
            vm.prank(account);
            certificateId = _credit.retire(batchId, amount, beneficiary, "Beneficiary", "fuzz");
        }
        _bookRetirement(certificateId, batchId, amount);
    }

    /// @notice An actor retires parts of up to three of its batches in one certificate.
    function retireBatch(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed) public timed {
        address account = _actor(actorSeed);
        uint256 count = _credit.batchCount();
        uint256[] memory ids = new uint256[](3);
        uint256[] memory amounts = new uint256[](3);
        uint256 n;
        for (uint256 k; k < count && n < 3; ++k) {
            uint256 id = ((batchSeed + k) % count) + 1;
            uint256 bal = _credit.balanceOf(account, id);
            if (bal == 0 || !_retirable(id)) continue;
            ids[n] = id;
            amounts[n] = bound(uint256(keccak256(abi.encode(amountSeed, k))), 1, bal);
            ++n;
        }
        if (n == 0) return retire(actorSeed, batchSeed, amountSeed, false);
        assembly ("memory-safe") {
            mstore(ids, n)
            mstore(amounts, n)
        }
        vm.prank(account);
        uint256 certificateId = _credit.retireBatch(ids, amounts, address(0), "Beneficiary", "fuzz batch");
        uint256 total;
        for (uint256 i; i < n; ++i) {
            ghostRetiredKg[ids[i]] += amounts[i];
            total += amounts[i];
        }
        _bookCertificate(certificateId, total);
    }

    /// @notice Suspends an active project or reactivates a suspended one (one of three; the first stays Active).
    function toggleProject(uint256 projectSeed) public timed {
        uint256 projectId = _projects[1 + (projectSeed % (_projects.length - 1))];
        ProjectStatus s = _registry.statusOf(projectId);
        _registry.setProjectStatus(
            projectId,
            s == ProjectStatus.Active ? ProjectStatus.Suspended : ProjectStatus.Active
        );
    }

    // ───────────────────────────── views for the invariants ─────────────────────────────

    function projects() external view returns (uint256[] memory) {
        return _projects;
    }

    function rangesOf(uint256 projectId) external view returns (Range[] memory) {
        return _rangesOf[projectId];
    }

    /// @notice Actors plus the venues that hold credits: every address whose balance counts in conservation.
    function creditHolders() public view returns (address[] memory all) {
        all = new address[](_actors.length + _venues.length);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        for (uint256 i; i < _venues.length; ++i) all[_actors.length + i] = _venues[i];
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _issueAt(
        uint256 projectId,
        uint64 start,
        uint64 end,
        uint256 below,
        address to
    ) internal returns (uint256 id) {
        IssueParams memory p = _params(projectId, start, end, to);
        Range[] storage rs = _rangesOf[projectId];
        bool onTop = rs.length == 0 || below == rs[rs.length - 1].batchId;
        if (onTop && start % 2 == 0) id = _credit.issue(p);
        else id = _credit.issueWithHint(p, below);
        // insert into the model at its sorted place
        rs.push(Range(start, end, id));
        uint256 i = rs.length - 1;
        while (i > 0 && rs[i - 1].start > start) {
            rs[i] = rs[i - 1];
            --i;
        }
        rs[i] = Range(start, end, id);
        ghostIssuedKg[id] = (uint256(end) - start + 1) * 1000;
        ++ghostBatches;
    }

    function _params(
        uint256 projectId,
        uint64 start,
        uint64 end,
        address to
    ) internal pure returns (IssueParams memory) {
        return
            IssueParams({
                projectId: projectId,
                vintage: VINTAGE,
                serialStart: start,
                serialEnd: end,
                to: to,
                attestation: keccak256(abi.encode(projectId, start, end))
            });
    }

    /// @dev A free serial range of the project around a random point, and the batch just below it (0 = none).
    function _freeRange(
        uint256 projectId,
        uint256 serialSeed,
        uint256 tonnesSeed
    ) internal view returns (bool found, uint64 start, uint64 end, uint256 below) {
        Range[] storage rs = _rangesOf[projectId];
        uint64 point = uint64(bound(serialSeed, 1, SERIAL_SPACE));
        // the gap that holds `point`, or the first gap above the range that holds it
        uint64 lo = 1;
        uint64 hi = SERIAL_SPACE;
        uint256 n = rs.length;
        for (uint256 i; i < n; ++i) {
            Range storage r = rs[i];
            if (r.end < point) {
                lo = r.end + 1;
                below = r.batchId;
                continue;
            }
            if (r.start <= point) {
                // inside a range: take the gap just above it
                point = r.end + 1;
                lo = point;
                below = r.batchId;
                continue;
            }
            hi = r.start - 1;
            break;
        }
        if (point > hi || point > SERIAL_SPACE || lo > hi) return (false, 0, 0, 0);
        start = point;
        uint64 room = hi - start + 1;
        uint64 tonnes = uint64(bound(tonnesSeed, 1, room < MAX_TONNES ? room : MAX_TONNES));
        end = start + tonnes - 1;
        found = true;
    }

    /// @dev An (actor, batch, balance) with credits of a retirable batch, searching from the seeds; balance 0 when none.
    function _holding(uint256 actorSeed, uint256 batchSeed) internal view returns (address, uint256, uint256) {
        uint256 count = _credit.batchCount();
        uint256 na = _actors.length;
        for (uint256 k; k < count; ++k) {
            uint256 id = ((batchSeed + k) % count) + 1;
            if (!_retirable(id)) continue;
            for (uint256 j; j < na; ++j) {
                address a = _actors[(actorSeed + j) % na];
                uint256 bal = _credit.balanceOf(a, id);
                if (bal != 0) return (a, id, bal);
            }
        }
        return (_actor(actorSeed), 0, 0);
    }

    function _retirable(uint256 batchId) internal view returns (bool) {
        return _registry.statusOf(_credit.projectOf(batchId)) == ProjectStatus.Active;
    }

    /// @dev A project credits can be issued for now: the seeded one if it qualifies, else the next that does (0 when
    /// none does: the caller skips its issuance).
    function _activeProject(uint256 seed) internal view returns (uint256) {
        uint256 n = _projects.length;
        for (uint256 k; k < n; ++k) {
            uint256 projectId = _projects[(seed + k) % n];
            if (_issuable(projectId)) return projectId;
        }
        return 0;
    }

    /// @dev Issuance needs an Active project (the buffer adds: no avoidable reversal outstanding).
    function _issuable(uint256 projectId) internal view virtual returns (bool) {
        return _registry.statusOf(projectId) == ProjectStatus.Active;
    }

    function _bookRetirement(uint256 certificateId, uint256 batchId, uint256 amount) internal {
        ghostRetiredKg[batchId] += amount;
        _bookCertificate(certificateId, amount);
    }

    function _bookCertificate(uint256 certificateId, uint256 amount) internal {
        ++ghostRetirementCalls;
        ghostRetiredTotalKg += amount;
        _check(ghostCertificateKg[certificateId] == 0, "a certificate id was issued twice");
        ghostCertificateKg[certificateId] = amount;
        CertificateView memory c = _certificate.certificate(certificateId);
        _check(c.amountKg == amount, "certificate states the wrong kg");
    }
}
