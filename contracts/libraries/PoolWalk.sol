// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProjectStatus} from "../interfaces/IGreenProjectRegistry.sol";
import {BatchQueue} from "./BatchQueue.sol";

/// @title PoolWalk
/// @notice The read-only side of a carbon pool's BatchQueue: a bounded page of its holdings and the shape of an
/// auto-path plan (which batches redeemAuto / retireFromPool(0, …) take and skip; CarbonPool walks it, bounded by
/// MAX_BATCHES_PER_CALL, inline on the hot path).
library PoolWalk {
    using BatchQueue for BatchQueue.Node;

    /// @dev The batches an auto path takes (and skips), in queue order.
    struct Plan {
        uint256[] ids;
        uint256[] amounts;
        uint256 count;
        uint256[] skipped;
        ProjectStatus[] skippedStatus;
        uint256 skippedCount;
        uint256 coveredKg;
        uint256 stoppedAt; // next batch in the queue after the walk (0 = queue exhausted)
    }

    /// @notice Up to `maxCount` held batches from `startBatchId` (0 = the head): the FIFO in order, then the parked
    /// batches; with the batch to continue from (0 = end). A start that is not held returns nothing.
    function page(
        BatchQueue.Queue storage q,
        uint256 startBatchId,
        uint256 maxCount
    ) internal view returns (uint256[] memory batchIds, uint256[] memory amountsKg, uint256 nextBatchId) {
        BatchQueue.List memory live = q.live;
        uint256 parkedHead = q.parked.head;
        uint256 id = startBatchId == 0 ? live.head : startBatchId;
        bool inLive = true;
        if (id == 0) (id, inLive) = (parkedHead, false);
        else if (q.nodes[id].balanceKg == 0) id = 0;
        else inLive = !q.nodes[id].isParked();
        uint256 total = uint256(live.length) + q.parked.length;
        uint256 max = maxCount > total ? total : maxCount;
        batchIds = new uint256[](max);
        amountsKg = new uint256[](max);
        uint256 n;
        while (id != 0 && n < max) {
            BatchQueue.Node memory node = q.nodes[id];
            batchIds[n] = id;
            amountsKg[n] = node.balanceKg;
            ++n;
            id = node.next;
            if (id == 0 && inLive) (id, inLive) = (parkedHead, false);
        }
        shrink(batchIds, n);
        shrink(amountsKg, n);
        nextBatchId = id;
    }

    /// @notice Sets a memory array's length to `n` (≤ its current length).
    function shrink(uint256[] memory a, uint256 n) internal pure {
        assembly ("memory-safe") {
            mstore(a, n)
        }
    }
}
