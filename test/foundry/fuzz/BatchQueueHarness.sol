// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BatchQueue} from "../../../contracts/libraries/BatchQueue.sol";

/// @dev Holds one BatchQueue in storage so the fuzz test can drive the library directly.
contract BatchQueueHarness {
    using BatchQueue for BatchQueue.Queue;

    BatchQueue.Queue internal _q;

    function pushNew(uint256 id, uint96 kg) external {
        _q.pushNew(id, kg, 1);
    }

    function move(uint256 id, bool toParked) external {
        _q.move(id, toParked);
    }

    function debit(uint256 id, uint256 kg) external {
        _q.debit(id, kg);
    }

    function node(uint256 id) external view returns (BatchQueue.Node memory) {
        return _q.nodes[id];
    }

    function ends(bool parked) external view returns (BatchQueue.List memory) {
        return parked ? _q.parked : _q.live;
    }
}
