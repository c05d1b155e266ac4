// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BatchQueue
/// @notice The credit batches a pool holds, in two doubly linked lists that share one node per batch: the FIFO
/// (`live`, ordered by when each batch last entered it; the auto paths walk it from the head) and the batches moved
/// out of it (`parked`: batches of projects that are not Active, redeemable by id, listed after the FIFO). Every
/// operation is O(1); nothing loops over the batches.
/// @dev A node is in `parked` exactly when its `projectId` carries the PARKED bit (project ids are sequential from
/// 1 and stored as uint64 by the credit contract, so bit 63 is never part of one). A node with no balance is in no
/// list. Batch ids fit 48 bits (the credit contract's batch counter).
library BatchQueue {
    /// @dev One slot per batch: pool balance, links within its list, project (cached for the auto paths).
    struct Node {
        uint96 balanceKg;
        uint48 prev;
        uint48 next;
        uint64 projectId;
    }

    /// @dev Ends and length of one list (one slot).
    struct List {
        uint48 head;
        uint48 tail;
        uint48 length;
    }

    struct Queue {
        List live;
        List parked;
        mapping(uint256 batchId => Node) nodes;
    }

    /// @dev Marks a parked node (bit 63 of `projectId`).
    uint64 internal constant PARKED = uint64(1) << 63;

    /// @dev Appends a batch that holds nothing yet at the FIFO tail with its first balance (one node write).
    function pushNew(Queue storage self, uint256 batchId, uint96 balanceKg, uint64 projectId) internal {
        List memory ends = self.live;
        uint48 id = uint48(batchId);
        if (ends.tail == 0) ends.head = id;
        else self.nodes[ends.tail].next = id;
        self.nodes[batchId] = Node({balanceKg: balanceKg, prev: ends.tail, next: 0, projectId: projectId});
        ends.tail = id;
        ++ends.length;
        self.live = ends;
    }

    /// @dev Moves a held batch from the FIFO to `parked` (`toParked`) or back to the FIFO tail.
    function move(Queue storage self, uint256 batchId, bool toParked) internal {
        Node memory node = self.nodes[batchId];
        _unlink(self, node.prev, node.next, !toParked);
        List memory ends = toParked ? self.parked : self.live;
        uint48 id = uint48(batchId);
        if (ends.tail == 0) ends.head = id;
        else self.nodes[ends.tail].next = id;
        self.nodes[batchId] = Node({
            balanceKg: node.balanceKg,
            prev: ends.tail,
            next: 0,
            projectId: toParked ? node.projectId | PARKED : node.projectId & ~PARKED
        });
        ends.tail = id;
        ++ends.length;
        _store(self, ends, toParked);
    }

    /// @dev Removes `amountKg` (≤ its balance) from a batch; a batch reaching zero leaves its list and its node is
    /// cleared (one slot write; the next deposit writes a new node).
    function debit(Queue storage self, uint256 batchId, uint256 amountKg) internal {
        Node storage n = self.nodes[batchId];
        uint256 balance = n.balanceKg - amountKg;
        if (balance != 0) {
            n.balanceKg = uint96(balance);
            return;
        }
        Node memory node = n;
        _unlink(self, node.prev, node.next, node.projectId & PARKED != 0);
        delete self.nodes[batchId];
    }

    /// @dev Whether a held batch is parked.
    function isParked(Node memory n) internal pure returns (bool) {
        return n.projectId & PARKED != 0;
    }

    /// @dev The project of a node, without the PARKED bit.
    function projectOf(Node memory n) internal pure returns (uint256) {
        return n.projectId & ~PARKED;
    }

    /// @dev Closes the gap a node between `prev` and `next` leaves in its list (the node itself is rewritten by the
    /// caller).
    function _unlink(Queue storage self, uint48 prev, uint48 next, bool parked) private {
        List memory ends = parked ? self.parked : self.live;
        if (prev == 0) ends.head = next;
        else self.nodes[prev].next = next;
        if (next == 0) ends.tail = prev;
        else self.nodes[next].prev = prev;
        --ends.length;
        _store(self, ends, parked);
    }

    function _store(Queue storage self, List memory ends, bool parked) private {
        if (parked) self.parked = ends;
        else self.live = ends;
    }
}
