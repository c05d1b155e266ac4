// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditOps} from "./CreditOps.sol";
import {CarbonPool} from "../../../contracts/pools/CarbonPool.sol";

/// @title PoolOps
/// @notice CarbonPool deposits (pull and push), redemptions (chosen and automatic), retirements from the pool (chosen
/// and automatic), pool-token transfers and fee changes. Ghosts: kg held per batch and the order in which batches
/// joined the queue (the model of the pool's linked list).
abstract contract PoolOps is CreditOps {
    CarbonPool internal immutable _pool;
    address internal immutable _poolTreasury;

    uint256 internal constant TOKEN_PER_KG = 1e15;

    mapping(uint256 batchId => uint256) public ghostPoolKg;
    /// @dev Batches with credits in the pool, in queue order: the live FIFO and the unqueued (parked) list.
    uint256[] internal _queueModel;
    uint256[] internal _parkedModel;

    constructor(CarbonPool pool_, address poolTreasury_) {
        _pool = pool_;
        _poolTreasury = poolTreasury_;
        _venues.push(address(pool_));
        // pull deposits need the pool as operator of every actor's credits
        for (uint256 i; i < _actors.length; ++i) {
            vm.prank(_actors[i]);
            _credit.setApprovalForAll(address(pool_), true);
        }
    }

    /// @notice An actor deposits part of a holding (through `deposit`, or by pushing it with safeTransferFrom).
    function poolDeposit(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed, bool push) public timed {
        (address account, uint256 batchId, uint256 bal) = _holding(actorSeed, batchSeed);
        if (bal == 0) return issue(batchSeed, amountSeed, actorSeed, actorSeed);
        uint256 amount = bound(amountSeed, 1, bal);
        uint256 supplyBefore = _pool.totalSupply();
        vm.prank(account);
        if (push) _credit.safeTransferFrom(account, address(_pool), batchId, amount, "");
        else _pool.deposit(batchId, amount);
        _check(_pool.totalSupply() == supplyBefore + amount * TOKEN_PER_KG, "deposit minted the wrong amount");
        _bookIn(batchId, amount);
    }

    /// @notice An actor redeems kg of a chosen batch for its pool tokens (plus the redeem fee).
    function poolRedeem(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed) public timed {
        (address account, uint256 affordable) = _richest(actorSeed, _pool.redeemFeeBps());
        uint256 batchId = _pooledBatch(batchSeed);
        if (batchId == 0 || affordable == 0) return poolDeposit(actorSeed, batchSeed, amountSeed, false);
        uint256 held = ghostPoolKg[batchId];
        uint256 amount = bound(amountSeed, 1, held < affordable ? held : affordable);
        vm.prank(account);
        _pool.redeem(batchId, amount);
        _bookOut(batchId, amount);
    }

    /// @notice An actor redeems kg from the head of the queue (active projects only, at most 20 batches).
    function poolRedeemAuto(uint256 actorSeed, uint256 amountSeed) public timed {
        (address account, uint256 affordable) = _richest(actorSeed, _pool.redeemFeeBps());
        uint256 amount = _autoAmount(affordable, amountSeed);
        if (amount == 0) return poolDeposit(actorSeed, amountSeed, amountSeed, true);
        vm.prank(account);
        (uint256[] memory ids, uint256[] memory kgs) = _pool.redeemAuto(amount);
        _bookPlan(ids, kgs, amount);
    }

    /// @notice An actor retires kg held by the pool: from a chosen batch, or automatically from the queue.
    function poolRetire(uint256 actorSeed, uint256 batchSeed, uint256 amountSeed, bool auto_) public timed {
        (address account, uint256 affordable) = _richest(actorSeed, _pool.retireFeeBps());
        if (auto_) {
            uint256 amount = _autoAmount(affordable, amountSeed);
            if (amount == 0) return poolDeposit(actorSeed, batchSeed, amountSeed, false);
            (uint256[] memory ids, uint256[] memory kgs, ) = _pool.previewAuto(amount);
            vm.prank(account);
            uint256 certificateId = _pool.retireFromPool(0, amount, address(0), "Pool beneficiary", "auto");
            _bookPlan(ids, kgs, amount);
            for (uint256 i; i < ids.length; ++i) ghostRetiredKg[ids[i]] += kgs[i];
            _bookCertificate(certificateId, amount);
        } else {
            uint256 batchId = _pooledBatch(batchSeed);
            if (batchId == 0 || affordable == 0 || !_retirable(batchId)) {
                return poolDeposit(actorSeed, batchSeed, amountSeed, true);
            }
            uint256 held = ghostPoolKg[batchId];
            uint256 amount = bound(amountSeed, 1, held < affordable ? held : affordable);
            vm.prank(account);
            uint256 certificateId = _pool.retireFromPool(batchId, amount, address(0), "Pool beneficiary", "chosen");
            _bookOut(batchId, amount);
            _bookRetirement(certificateId, batchId, amount);
        }
    }

    /// @notice Anyone takes a queued batch of a project that is no longer Active out of the FIFO (it stays held), or
    /// puts an unqueued batch whose project is Active again back at the tail; suspends a project first when no
    /// batch qualifies.
    function poolUnqueueOrRequeue(uint256 seed) public timed {
        for (uint256 k; k < _parkedModel.length; ++k) {
            uint256 id = _parkedModel[(seed + k) % _parkedModel.length];
            if (!_retirable(id)) continue;
            _pool.requeue(id);
            _remove(_parkedModel, id);
            _queueModel.push(id);
            return;
        }
        for (uint256 k; k < _queueModel.length; ++k) {
            uint256 id = _queueModel[(seed + k) % _queueModel.length];
            if (_retirable(id)) continue;
            _pool.unqueue(id);
            _remove(_queueModel, id);
            _parkedModel.push(id);
            return;
        }
        toggleProject(seed);
    }

    /// @notice Pool tokens move between actors.
    function poolTransfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed) public timed {
        (address from, ) = _richest(fromSeed, 0);
        uint256 bal = _pool.balanceOf(from);
        if (bal == 0) return poolDeposit(fromSeed, toSeed, amountSeed, false);
        address to = _other(from, toSeed);
        uint256 amount = bound(amountSeed, 1, bal);
        vm.prank(from);
        _pool.transfer(to, amount);
    }

    /// @notice The pool admin changes the redeem and retire fees (0 – 10 %).
    function poolSetFees(uint16 redeemBps, uint16 retireBps) public timed {
        _pool.setFees(uint16(bound(redeemBps, 0, 1000)), uint16(bound(retireBps, 0, 1000)), _poolTreasury);
    }

    // ───────────────────────────── views for the invariants ─────────────────────────────

    function queueModel() external view returns (uint256[] memory) {
        return _queueModel;
    }

    function parkedModel() external view returns (uint256[] memory) {
        return _parkedModel;
    }

    /// @notice Every address that may hold pool tokens: the actors and the fee treasury.
    function poolTokenHolders() external view returns (address[] memory all) {
        all = new address[](_actors.length + 1);
        for (uint256 i; i < _actors.length; ++i) all[i] = _actors[i];
        all[_actors.length] = _poolTreasury;
    }

    // ───────────────────────────── internals ─────────────────────────────

    /// @dev The actor (from the seed on) with the most pool tokens, and how many kg it can pay for at `bps`.
    function _richest(uint256 seed, uint256 bps) internal view returns (address best, uint256 kg) {
        uint256 top;
        best = _actor(seed);
        for (uint256 j; j < _actors.length; ++j) {
            address a = _actors[(seed + j) % _actors.length];
            uint256 b = _pool.balanceOf(a);
            if (b > top) (top, best) = (b, a);
        }
        kg = top / (TOKEN_PER_KG + bps * (TOKEN_PER_KG / 10_000));
    }

    /// @dev A batch the pool holds (queued or unqueued).
    function _pooledBatch(uint256 seed) internal view returns (uint256) {
        uint256 a = _queueModel.length;
        uint256 n = a + _parkedModel.length;
        if (n == 0) return 0;
        uint256 k = seed % n;
        return k < a ? _queueModel[k] : _parkedModel[k - a];
    }

    /// @dev A kg amount that `affordable` pays for and the queue covers within one call (0 = none).
    function _autoAmount(uint256 affordable, uint256 seed) internal view returns (uint256) {
        if (affordable == 0) return 0;
        (, , uint256 covered) = _pool.previewAuto(affordable);
        return covered == 0 ? 0 : bound(seed, 1, covered);
    }

    function _bookPlan(uint256[] memory ids, uint256[] memory kgs, uint256 amount) internal {
        uint256 sum;
        for (uint256 i; i < ids.length; ++i) {
            _check(_retirable(ids[i]), "automatic exit took credits of an inactive project");
            _bookOut(ids[i], kgs[i]);
            sum += kgs[i];
        }
        _check(sum == amount, "automatic exit delivered a different amount");
    }

    function _bookIn(uint256 batchId, uint256 amount) internal {
        if (ghostPoolKg[batchId] == 0) {
            _queueModel.push(batchId);
        } else if (_remove(_parkedModel, batchId)) {
            _queueModel.push(batchId); // a deposit returns an unqueued batch (its project is eligible) to the tail
        }
        ghostPoolKg[batchId] += amount;
    }

    function _bookOut(uint256 batchId, uint256 amount) internal {
        uint256 left = ghostPoolKg[batchId] - amount;
        ghostPoolKg[batchId] = left;
        if (left != 0) return;
        if (!_remove(_queueModel, batchId)) _remove(_parkedModel, batchId);
    }

    /// @dev Removes `id` from `list` keeping the order; false when it was not there.
    function _remove(uint256[] storage list, uint256 id) private returns (bool) {
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            if (list[i] != id) continue;
            for (uint256 j = i; j + 1 < n; ++j) list[j] = list[j + 1];
            list.pop();
            return true;
        }
        return false;
    }
}
