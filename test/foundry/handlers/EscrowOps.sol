// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HandlerBase} from "../base/HandlerBase.sol";
import {MilestoneEscrow} from "../../../contracts/escrow/MilestoneEscrow.sol";
import {GreenProjectRegistry} from "../../../contracts/registry/GreenProjectRegistry.sol";
import {
    DealInput,
    MilestoneInput,
    MilestoneState,
    DealStatus
} from "../../../contracts/interfaces/IMilestoneEscrow.sol";
import {ProjectStatus} from "../../../contracts/interfaces/IGreenProjectRegistry.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title EscrowOps
/// @notice MilestoneEscrow deals between actors: create, fund, attest (M of N), release once a lapsed verifier role is
/// back, dispute, resolve, refund after the deadline, cancel (by the funder before funding, by both parties after),
/// withdraw, and attempts to settle a milestone twice. Ghosts: every milestone's state and amount, what each account
/// is owed.
abstract contract EscrowOps is HandlerBase {
    MilestoneEscrow internal immutable _escrow;
    TestStablecoin internal immutable _escrowToken;
    uint256 internal immutable _escrowProject;
    address internal immutable _escrowTreasury;
    /// @dev Holds the registry's DEFAULT_ADMIN_ROLE: lets a verifier's role lapse and come back (escrowRelease).
    address internal immutable _registryAdmin;
    address internal immutable _arbiter = address(uint160(uint256(keccak256("arbiter"))));
    address[] internal _verifiers;

    uint64 internal constant WINDOW = 1 days;
    uint256 internal constant MAX_MILESTONE = 1_000e6;

    struct GhostDeal {
        address funder;
        address beneficiary;
        uint8 milestones;
        uint16 feeBps;
        uint8 threshold;
        DealStatus status;
    }

    /// @dev Deals the handler's own actors created (the ones its actions pick from).
    uint256[] internal _dealIds;
    /// @dev Every deal whose books the invariants check: the handler's plus deals other contracts opened (a bond's).
    uint256[] internal _trackedDeals;
    mapping(uint256 dealId => GhostDeal) public ghostDeal;
    mapping(uint256 dealId => mapping(uint256 index => MilestoneState)) public ghostMilestoneState;
    mapping(uint256 dealId => mapping(uint256 index => uint256)) public ghostMilestoneAmount;
    mapping(address account => uint256) public ghostOwed;
    uint256 public ghostEscrowMinted;
    uint256 public ghostEscrowWithdrawn;

    /// @notice What an escrow handler works with.
    struct EscrowSetup {
        MilestoneEscrow escrow;
        TestStablecoin token;
        uint256 projectId;
        address treasury;
        address[] verifiers;
        address registryAdmin;
    }

    constructor(EscrowSetup memory s) {
        _escrow = s.escrow;
        _escrowToken = s.token;
        _escrowProject = s.projectId;
        _escrowTreasury = s.treasury;
        _verifiers = s.verifiers;
        _registryAdmin = s.registryAdmin;
    }

    // ───────────────────────────── actions ─────────────────────────────

    /// @notice An actor opens a deal (1–4 milestones, 1–3 of the 3 verifiers) for another actor.
    function escrowCreate(uint256 funderSeed, uint256 nSeed, uint256 amountSeed, uint256 thresholdSeed) public timed {
        _createDeal(_actor(funderSeed), _other(_actor(funderSeed), nSeed >> 8), nSeed, amountSeed, thresholdSeed);
    }

    /// @notice The funder of a created deal funds it (a new deal is created first when none can be funded).
    function escrowFund(uint256 dealSeed) public timed {
        uint256 dealId = _findDeal(dealSeed, DealStatus.Created);
        if (dealId == 0 || _escrow.milestone(dealId, 0).deadline <= block.timestamp) {
            dealId = _createDeal(_actor(dealSeed), _other(_actor(dealSeed), dealSeed >> 8), dealSeed, dealSeed, 1);
        }
        _fundDeal(dealId);
    }

    /// @notice A deal verifier attests an open milestone before its deadline; the threshold releases it.
    function escrowAttest(uint256 dealSeed, uint256 indexSeed, uint256 verifierSeed) public timed {
        (uint256 dealId, uint256 index) = _openMilestone(dealSeed, indexSeed, true, 0);
        if (dealId == 0) return escrowFund(dealSeed);
        address[] memory vs = _escrow.verifiers(dealId);
        for (uint256 k; k < vs.length; ++k) {
            address v = vs[(verifierSeed + k) % vs.length];
            if (_escrow.hasAttested(dealId, index, v)) continue;
            vm.prank(v);
            _escrow.attest(dealId, index, keccak256("evidence"));
            if (_escrow.milestone(dealId, index).state == MilestoneState.Released) _ghostRelease(dealId, index);
            return;
        }
    }

    /// @notice The `release` path (audit A-17): in a deal with threshold ≥ 2, a verifier that attested loses
    /// VERIFIER_ROLE, the others attest up to the threshold — no release, one attestation is not valid — and `release`
    /// is refused; the role comes back and anyone calls `release`, which pays the milestone. A deal with threshold ≥ 2
    /// is opened and funded first when none has a milestone open for attestation.
    function escrowRelease(uint256 dealSeed, uint256 indexSeed, uint256 verifierSeed) public timed {
        (uint256 dealId, uint256 index) = _openMilestone(dealSeed, indexSeed, true, 2);
        if (dealId == 0) {
            address funder = _actor(dealSeed);
            uint256 nv = bound(verifierSeed >> 8, 2, _verifiers.length);
            dealId = _createDealWith(
                funder,
                _other(funder, dealSeed >> 8),
                dealSeed,
                dealSeed,
                nv,
                bound(dealSeed >> 16, 2, nv)
            );
            _fundDeal(dealId);
            index = 0;
        }
        _check(!_tryRelease(dealId, index), "release paid a milestone short of its threshold");
        address[] memory vs = _escrow.verifiers(dealId);
        uint256 n = vs.length;
        // the verifier whose role lapses: one that attested already, else the seed's pick attests first
        address lapsed;
        for (uint256 k; k < n && lapsed == address(0); ++k) {
            address v = vs[(verifierSeed + k) % n];
            if (_escrow.hasAttested(dealId, index, v)) lapsed = v;
        }
        if (lapsed == address(0)) {
            lapsed = vs[verifierSeed % n];
            vm.prank(lapsed);
            _escrow.attest(dealId, index, keccak256("evidence"));
        }
        GreenProjectRegistry reg = GreenProjectRegistry(address(_escrow.registry()));
        vm.prank(_registryAdmin);
        reg.revokeRole(Roles.VERIFIER, lapsed);
        uint256 threshold = ghostDeal[dealId].threshold;
        for (uint256 k; k < n && _escrow.milestone(dealId, index).attestations < threshold; ++k) {
            address v = vs[(verifierSeed + k) % n];
            if (_escrow.hasAttested(dealId, index, v)) continue;
            vm.prank(v);
            _escrow.attest(dealId, index, keccak256("evidence"));
        }
        _check(
            _escrow.milestone(dealId, index).state == MilestoneState.Pending,
            "a lapsed verifier's attestation counted"
        );
        _check(!_tryRelease(dealId, index), "release counted a lapsed verifier's attestation");
        vm.prank(_registryAdmin);
        reg.grantRole(Roles.VERIFIER, lapsed);
        vm.prank(_actor(verifierSeed));
        _escrow.release(dealId, index);
        _check(_escrow.milestone(dealId, index).state == MilestoneState.Released, "release did not release");
        _ghostRelease(dealId, index);
    }

    /// @notice A party disputes a milestone whose deadline has passed (the clock moves past it when needed).
    function escrowDispute(uint256 dealSeed, uint256 indexSeed, bool byBeneficiary) public timed {
        (uint256 dealId, uint256 index) = _openMilestone(dealSeed, indexSeed, false, 0);
        if (dealId == 0) return escrowFund(dealSeed);
        uint64 deadline = _escrow.milestone(dealId, index).deadline;
        if (
            _escrow.milestone(dealId, index).state != MilestoneState.Pending ||
            block.timestamp > uint256(deadline) + WINDOW
        ) {
            return escrowRefundExpired(dealSeed, indexSeed);
        }
        if (block.timestamp <= deadline) _advance(deadline + 1 - block.timestamp);
        GhostDeal memory g = ghostDeal[dealId];
        vm.prank(byBeneficiary ? g.beneficiary : g.funder);
        _escrow.dispute(dealId, index, keccak256("late"));
        ghostMilestoneState[dealId][index] = MilestoneState.Disputed;
    }

    /// @notice The arbiter splits a disputed milestone (release share in bps; the rest back to the funder).
    function escrowResolve(uint256 dealSeed, uint16 releaseBps) public timed {
        uint256 n = _dealIds.length;
        for (uint256 k; k < n; ++k) {
            uint256 dealId = _dealIds[(dealSeed + k) % n];
            GhostDeal memory g = ghostDeal[dealId];
            if (g.status != DealStatus.Funded) continue;
            for (uint256 i; i < g.milestones; ++i) {
                if (ghostMilestoneState[dealId][i] != MilestoneState.Disputed) continue;
                if (block.timestamp > _escrow.milestone(dealId, i).disputedAt + WINDOW) continue; // arbitration closed
                uint256 bps = bound(releaseBps, 0, 10_000);
                uint256 amount = ghostMilestoneAmount[dealId][i];
                uint256 released = (amount * bps) / 10_000;
                uint256 fee = (released * g.feeBps) / 10_000;
                vm.prank(_arbiter);
                _escrow.resolve(dealId, i, uint16(bps));
                _settle(dealId, i, MilestoneState.Resolved);
                ghostOwed[g.beneficiary] += released - fee;
                ghostOwed[_escrowTreasury] += fee;
                ghostOwed[g.funder] += amount - released;
                return;
            }
        }
        escrowDispute(dealSeed, releaseBps, releaseBps % 2 == 0);
    }

    /// @notice Anyone refunds an open milestone to the funder once its deadline (+ dispute window) has passed.
    function escrowRefundExpired(uint256 dealSeed, uint256 indexSeed) public timed {
        (uint256 dealId, uint256 index) = _openMilestone(dealSeed, indexSeed, false, 0);
        if (dealId == 0) return escrowFund(dealSeed);
        (uint64 deadline, uint256 disputedAt) = (
            _escrow.milestone(dealId, index).deadline,
            _escrow.milestone(dealId, index).disputedAt
        );
        uint256 availableAfter = (disputedAt == 0 ? deadline : disputedAt) + WINDOW;
        if (block.timestamp <= availableAfter) _advance(availableAfter + 1 - block.timestamp);
        _escrow.refundExpired(dealId, index);
        _settle(dealId, index, MilestoneState.Refunded);
        ghostOwed[ghostDeal[dealId].funder] += ghostMilestoneAmount[dealId][index];
    }

    /// @notice A deal is cancelled: by its funder before funding, by both parties (two consents) after.
    function escrowCancel(uint256 dealSeed, bool funded) public timed {
        uint256 dealId = _findDeal(dealSeed, funded ? DealStatus.Funded : DealStatus.Created);
        if (dealId == 0) dealId = _findDeal(dealSeed, funded ? DealStatus.Created : DealStatus.Funded);
        if (dealId == 0) return escrowFund(dealSeed);
        GhostDeal storage g = ghostDeal[dealId];
        if (g.status == DealStatus.Created) {
            vm.prank(g.funder);
            _escrow.cancel(dealId);
            g.status = DealStatus.Cancelled;
            return;
        }
        if (_escrow.deal(dealId).openMilestones == 0) return escrowCreate(dealSeed, dealSeed, dealSeed, dealSeed);
        vm.prank(g.beneficiary);
        _escrow.cancel(dealId);
        vm.prank(g.funder);
        _escrow.cancel(dealId);
        g.status = DealStatus.Cancelled;
        uint256 refunded;
        for (uint256 i; i < g.milestones; ++i) {
            MilestoneState s = ghostMilestoneState[dealId][i];
            if (s != MilestoneState.Pending && s != MilestoneState.Disputed) continue;
            ghostMilestoneState[dealId][i] = MilestoneState.Cancelled;
            refunded += ghostMilestoneAmount[dealId][i];
        }
        ghostOwed[g.funder] += refunded;
    }

    /// @notice An account that is owed money (an actor or the treasury) withdraws it.
    function escrowWithdraw(uint256 accountSeed) public timed {
        uint256 n = _actors.length + 1;
        for (uint256 k; k < n; ++k) {
            uint256 j = (accountSeed + k) % n;
            address a = j == _actors.length ? _escrowTreasury : _actors[j];
            uint256 owed = _escrow.owed(a, address(_escrowToken));
            if (owed == 0) continue;
            uint256 before = _escrowToken.balanceOf(a);
            vm.prank(a);
            _escrow.withdraw(address(_escrowToken));
            _check(_escrowToken.balanceOf(a) == before + ghostOwed[a], "withdraw paid other than owed");
            ghostEscrowWithdrawn += ghostOwed[a];
            ghostOwed[a] = 0;
            return;
        }
        escrowRefundExpired(accountSeed, accountSeed);
    }

    /// @notice Tries to settle an already settled milestone again (refund, attest, dispute, release, resolve): must
    /// revert, state kept.
    function escrowSettleTwice(uint256 dealSeed, uint256 how) public timed {
        uint256 n = _dealIds.length;
        for (uint256 k; k < n; ++k) {
            uint256 dealId = _dealIds[(dealSeed + k) % n];
            GhostDeal memory g = ghostDeal[dealId];
            for (uint256 i; i < g.milestones; ++i) {
                MilestoneState s = ghostMilestoneState[dealId][i];
                if (s <= MilestoneState.Disputed) continue;
                uint256 way = how % 5;
                bytes memory call_;
                address caller = g.funder;
                if (way == 0) call_ = abi.encodeCall(MilestoneEscrow.refundExpired, (dealId, i));
                else if (way == 1) {
                    // a verifier of the deal that has not attested this milestone (if any), else the first one
                    address[] memory vs = _escrow.verifiers(dealId);
                    caller = vs[0];
                    for (uint256 j; j < vs.length; ++j) {
                        if (!_escrow.hasAttested(dealId, i, vs[j])) {
                            caller = vs[j];
                            break;
                        }
                    }
                    call_ = abi.encodeCall(MilestoneEscrow.attest, (dealId, i, bytes32("again")));
                } else if (way == 2) call_ = abi.encodeCall(MilestoneEscrow.dispute, (dealId, i, bytes32("again")));
                else if (way == 3) call_ = abi.encodeCall(MilestoneEscrow.release, (dealId, i));
                else {
                    caller = _arbiter;
                    call_ = abi.encodeCall(MilestoneEscrow.resolve, (dealId, i, uint16(how % 10_001)));
                }
                vm.prank(caller);
                (bool ok, ) = address(_escrow).call(call_);
                _check(!ok, "a settled milestone was settled again");
                _check(_escrow.milestone(dealId, i).state == s, "a settled milestone changed state");
                return;
            }
        }
        escrowAttest(dealSeed, how, how);
    }

    /// @notice Time passes (1 hour to 10 days).
    function escrowWarp(uint256 secondsSeed) public timed {
        _advance(bound(secondsSeed, 1 hours, 10 days));
    }

    // ───────────────────────────── views for the invariants ─────────────────────────────

    function dealIds() external view returns (uint256[] memory) {
        return _trackedDeals;
    }

    /// @notice Every account the escrow may owe money to.
    function escrowPayees() public view virtual returns (address[] memory all) {
        all = new address[](_actors.length + 1);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        all[_actors.length] = _escrowTreasury;
    }

    // ───────────────────────────── internals ─────────────────────────────

    function _createDeal(
        address funder,
        address beneficiary,
        uint256 nSeed,
        uint256 amountSeed,
        uint256 thresholdSeed
    ) internal returns (uint256 dealId) {
        uint256 nv = bound(thresholdSeed >> 16, 1, _verifiers.length);
        return _createDealWith(funder, beneficiary, nSeed, amountSeed, nv, bound(thresholdSeed, 1, nv));
    }

    /// @dev A deal of 1–4 milestones with the first `nv` verifiers and `threshold` of them needed.
    function _createDealWith(
        address funder,
        address beneficiary,
        uint256 nSeed,
        uint256 amountSeed,
        uint256 nv,
        uint256 threshold
    ) internal returns (uint256 dealId) {
        uint256 m = bound(nSeed, 1, 4);
        DealInput memory d;
        d.projectId = _escrowProject;
        d.beneficiary = beneficiary;
        d.token = address(_escrowToken);
        d.arbiter = _arbiter;
        d.disputeWindow = WINDOW;
        d.threshold = uint8(threshold);
        d.verifiers = new address[](nv);
        for (uint256 i; i < nv; ++i) d.verifiers[i] = _verifiers[i];
        d.milestones = new MilestoneInput[](m);
        for (uint256 i; i < m; ++i) {
            uint256 amount = bound(uint256(keccak256(abi.encode(amountSeed, i))), 1, MAX_MILESTONE);
            d.milestones[i] = MilestoneInput(amount, uint64(block.timestamp + (i + 1) * 5 days), bytes32(i));
        }
        vm.prank(funder);
        dealId = _escrow.createDeal(d);
        _dealIds.push(dealId);
        _trackedDeals.push(dealId);
        ghostDeal[dealId] = GhostDeal(
            funder,
            beneficiary,
            uint8(m),
            _escrow.feeBps(),
            uint8(threshold),
            DealStatus.Created
        );
        for (uint256 i; i < m; ++i) ghostMilestoneAmount[dealId][i] = d.milestones[i].amount;
    }

    function _fundDeal(uint256 dealId) internal {
        GhostDeal storage g = ghostDeal[dealId];
        uint256 total = _escrow.deal(dealId).total;
        if (_escrowToken.balanceOf(g.funder) < total) _mintEscrowToken(g.funder, total);
        vm.startPrank(g.funder);
        _escrowToken.approve(address(_escrow), total);
        _escrow.fund(dealId);
        vm.stopPrank();
        g.status = DealStatus.Funded;
    }

    function _mintEscrowToken(address to, uint256 amount) internal virtual {
        _escrowToken.mint(to, amount);
        ghostEscrowMinted += amount;
    }

    /// @dev A milestone was released: the beneficiary is owed its amount less the deal's fee, the treasury the fee.
    function _ghostRelease(uint256 dealId, uint256 index) internal {
        GhostDeal memory g = ghostDeal[dealId];
        uint256 amount = ghostMilestoneAmount[dealId][index];
        uint256 fee = (amount * g.feeBps) / 10_000;
        _settle(dealId, index, MilestoneState.Released);
        ghostOwed[g.beneficiary] += amount - fee;
        ghostOwed[_escrowTreasury] += fee;
    }

    /// @dev `release` by an actor; whether it went through (the milestone state is checked by the caller).
    function _tryRelease(uint256 dealId, uint256 index) internal returns (bool ok) {
        vm.prank(_actors[0]);
        (ok, ) = address(_escrow).call(abi.encodeCall(MilestoneEscrow.release, (dealId, index)));
    }

    function _settle(uint256 dealId, uint256 index, MilestoneState to) internal {
        MilestoneState from = ghostMilestoneState[dealId][index];
        _check(from <= MilestoneState.Disputed, "a milestone reached a second terminal state");
        ghostMilestoneState[dealId][index] = to;
    }

    function _findDeal(uint256 seed, DealStatus status) internal view returns (uint256) {
        uint256 n = _dealIds.length;
        for (uint256 k; k < n; ++k) {
            uint256 dealId = _dealIds[(seed + k) % n];
            if (ghostDeal[dealId].status == status) return dealId;
        }
        return 0;
    }

    /// @dev An open (Pending or Disputed) milestone of a funded deal; `attestable`: Pending/Disputed before its
    /// deadline with a verifier left to attest; only deals needing at least `minThreshold` attestations.
    function _openMilestone(
        uint256 dealSeed,
        uint256 indexSeed,
        bool attestable,
        uint256 minThreshold
    ) internal view returns (uint256, uint256) {
        uint256 n = _dealIds.length;
        if (!_escrowProjectActive()) return (0, 0);
        for (uint256 k; k < n; ++k) {
            uint256 dealId = _dealIds[(dealSeed + k) % n];
            GhostDeal memory g = ghostDeal[dealId];
            if (g.status != DealStatus.Funded || g.threshold < minThreshold) continue;
            for (uint256 j; j < g.milestones; ++j) {
                uint256 i = (indexSeed + j) % g.milestones;
                if (ghostMilestoneState[dealId][i] > MilestoneState.Disputed) continue;
                if (attestable && block.timestamp > _escrow.milestone(dealId, i).deadline) continue;
                return (dealId, i);
            }
        }
        return (0, 0);
    }

    /// @dev The escrow's project must be Active for attestations and funding (it always is in these campaigns).
    function _escrowProjectActive() internal view returns (bool) {
        return GreenProjectRegistry(address(_escrow.registry())).statusOf(_escrowProject) == ProjectStatus.Active;
    }
}
