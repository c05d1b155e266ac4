// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TreelionTest} from "../base/TreelionTest.sol";
import {BatchQueueHarness} from "./BatchQueueHarness.sol";
import {BatchQueue} from "../../../contracts/libraries/BatchQueue.sol";

/// @title BatchQueueFuzz
/// @notice The pool's BatchQueue library against a model of two ordered lists (live FIFO and parked): pushes, moves
/// both ways and debits (partial and to zero) in any order keep both lists equal to the model.
contract BatchQueueFuzz is TreelionTest {
    BatchQueueHarness internal q;

    function setUp() public {
        q = new BatchQueueHarness();
    }

    function testFuzz_queueMatchesTwoListModel(uint256 seed) public {
        uint256[] memory live = new uint256[](16);
        uint256[] memory parked = new uint256[](16);
        uint256[] memory kg = new uint256[](17);
        (uint256 nl, uint256 np, uint256 next) = (0, 0, 1);
        for (uint256 step; step < 40; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 op = r % 4;
            if (op == 0 && next <= 16) {
                kg[next] = ((r >> 8) % 1000) + 1;
                q.pushNew(next, uint96(kg[next]));
                live[nl++] = next++;
            } else if (op == 1 && nl != 0) {
                uint256 id = live[(r >> 8) % nl];
                q.move(id, true);
                nl = _drop(live, nl, id);
                parked[np++] = id;
            } else if (op == 2 && np != 0) {
                uint256 id = parked[(r >> 8) % np];
                q.move(id, false);
                np = _drop(parked, np, id);
                live[nl++] = id;
            } else if (nl + np != 0) {
                uint256 k = (r >> 8) % (nl + np);
                uint256 id = k < nl ? live[k] : parked[k - nl];
                uint256 amount = (r >> 16) % 2 == 0 ? kg[id] : ((r >> 24) % kg[id]) + 1;
                q.debit(id, amount);
                kg[id] -= amount;
                if (kg[id] == 0) {
                    if (k < nl) nl = _drop(live, nl, id);
                    else np = _drop(parked, np, id);
                    BatchQueue.Node memory gone = q.node(id);
                    assertTrue(gone.prev == 0 && gone.next == 0, "an emptied batch keeps queue links");
                }
            }
            _same(live, nl, false, kg);
            _same(parked, np, true, kg);
        }
    }

    function _drop(uint256[] memory list, uint256 n, uint256 id) private pure returns (uint256) {
        uint256 i;
        while (list[i] != id) ++i;
        for (; i + 1 < n; ++i) list[i] = list[i + 1];
        return n - 1;
    }

    function _same(uint256[] memory model, uint256 n, bool parked, uint256[] memory kg) private view {
        BatchQueue.List memory e = q.ends(parked);
        assertEq(e.length, n, "length");
        uint256 id = e.head;
        uint256 prev;
        for (uint256 i; i < n; ++i) {
            assertEq(id, model[i], "order");
            BatchQueue.Node memory nd = q.node(id);
            assertEq(nd.prev, prev, "prev link");
            assertEq(nd.balanceKg, kg[id], "balance");
            assertEq(BatchQueue.isParked(nd), parked, "parked flag");
            prev = id;
            id = nd.next;
        }
        assertEq(id, 0, "list runs past its length");
        assertEq(e.tail, prev, "tail");
    }
}
