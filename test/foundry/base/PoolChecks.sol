// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditChecks} from "./CreditChecks.sol";
import {PoolOps} from "../handlers/PoolOps.sol";

/// @title PoolChecks
/// @notice The pool invariants, shared by the pool and whole-suite campaigns.
abstract contract PoolChecks is CreditChecks {
    /// @dev totalSupply == Σ held kg × 1e15; the pool's credit balance of every batch equals its booked kg (and the
    /// ghost); pool tokens are all held by actors and the treasury.
    function _checkPoolBacking(PoolOps h) internal view {
        uint256 count = credit.batchCount();
        uint256 heldSum;
        for (uint256 id = 1; id <= count; ++id) {
            uint256 held = pool.heldKg(id);
            assertEq(held, h.ghostPoolKg(id), "pool heldKg differs from the ghost");
            assertEq(credit.balanceOf(address(pool), id), held, "pool's credit balance != heldKg");
            heldSum += held;
        }
        assertEq(pool.totalSupply(), heldSum * 1e15, "pool totalSupply != sum of held kg x 1e15");
        address[] memory holders = h.poolTokenHolders();
        uint256 tokens;
        for (uint256 i; i < holders.length; ++i) tokens += pool.balanceOf(holders[i]);
        assertEq(tokens, pool.totalSupply(), "pool tokens held outside the known holders");
    }

    /// @dev The FIFO and the unqueued list are consistent doubly linked lists that together hold exactly the batches
    /// with credits, each in the order the model expects; a batch that left the pool keeps no links.
    function _checkPoolQueue(PoolOps h) internal view {
        (uint256 head, uint256 tail, uint256 length) = pool.queue();
        _checkList(h.queueModel(), head, tail, length, "queue");
        (uint256 pHead, uint256 pTail, uint256 pLength) = pool.unqueuedBatches();
        _checkList(h.parkedModel(), pHead, pTail, pLength, "unqueued list");
        uint256 count = credit.batchCount();
        for (uint256 b = 1; b <= count; ++b) {
            if (pool.heldKg(b) != 0) continue;
            (uint256 p, uint256 n) = pool.neighbours(b);
            assertTrue(p == 0 && n == 0 && head != b && pHead != b, "a batch left the pool but keeps queue links");
        }
    }

    function _checkList(
        uint256[] memory model,
        uint256 head,
        uint256 tail,
        uint256 length,
        string memory what
    ) private view {
        assertEq(length, model.length, string.concat(what, " length"));
        uint256 id = head;
        uint256 prev;
        for (uint256 i; i < model.length; ++i) {
            assertEq(id, model[i], string.concat(what, " order differs from the model"));
            (uint256 p, uint256 next) = pool.neighbours(id);
            assertEq(p, prev, string.concat(what, " prev link"));
            assertGt(pool.heldKg(id), 0, string.concat("empty batch in the ", what));
            prev = id;
            id = next;
        }
        assertEq(id, 0, string.concat(what, " runs past its length"));
        assertEq(tail, prev, string.concat(what, " tail"));
    }
}
