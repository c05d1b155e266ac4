// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SuiteFixture} from "./SuiteFixture.sol";
import {CreditOps} from "../handlers/CreditOps.sol";
import {Batch} from "../../../contracts/interfaces/ICarbonCredit.sol";

/// @title CreditChecks
/// @notice The credit invariants, shared by the credits, pool, market and whole-suite campaigns.
abstract contract CreditChecks is SuiteFixture {
    /// @dev Per batch: Σ balances of every holder (the buffer included) + retired + cancelled = issued, and the
    /// contract's books match the ghosts.
    function _checkCreditConservation(CreditOps h) internal view {
        address[] memory holders = h.creditHolders();
        uint256 count = credit.batchCount();
        assertEq(count, h.ghostBatches(), "batch count");
        for (uint256 id = 1; id <= count; ++id) {
            Batch memory b = credit.batch(id);
            uint256 held;
            for (uint256 i; i < holders.length; ++i) held += credit.balanceOf(holders[i], id);
            assertEq(b.issuedKg, h.ghostIssuedKg(id), "issued kg differs from the ghost");
            assertEq(b.retiredKg, h.ghostRetiredKg(id), "retired kg differs from the ghost");
            assertEq(
                held + b.retiredKg + credit.cancelledKg(id),
                b.issuedKg,
                "balances + retired + cancelled != issued"
            );
            assertEq(b.issuedKg, (uint256(b.serialEnd) - b.serialStart + 1) * 1000, "issued kg != serial range");
        }
    }

    /// @dev Each project's serial ranges, walked through the contract's list, are sorted, disjoint and complete.
    function _checkSerialRanges(CreditOps h) internal view {
        uint256[] memory ps = h.projects();
        for (uint256 k; k < ps.length; ++k) {
            CreditOps.Range[] memory model = h.rangesOf(ps[k]);
            (uint256 id, uint256 highest) = credit.rangeEnds(ps[k]);
            uint256 n;
            uint256 lastEnd;
            uint256 lastId;
            while (id != 0) {
                Batch memory b = credit.batch(id);
                assertEq(b.projectId, ps[k], "a foreign batch in the project's range list");
                if (n != 0) assertGt(b.serialStart, lastEnd, "serial ranges not sorted and disjoint");
                assertLt(n, model.length, "range list longer than the batches issued");
                assertEq(id, model[n].batchId, "range list out of the model's order");
                lastEnd = b.serialEnd;
                lastId = id;
                ++n;
                id = credit.nextBatchAbove(id);
            }
            assertEq(n, model.length, "range list misses batches");
            assertEq(highest, lastId, "highest pointer is not the list's last batch");
        }
    }

    /// @dev One certificate per successful retirement call (each handler call also checks the kg of the certificate
    /// it got). `full` re-reads every certificate and compares its kg and their total with the ghosts.
    function _checkCertificates(CreditOps h, bool full) internal view {
        uint256 certs = certificate.totalCertificates();
        assertEq(certs, h.ghostRetirementCalls(), "certificates != retirement calls");
        if (!full) return;
        uint256 sum;
        for (uint256 id = 1; id <= certs; ++id) {
            uint256 kg = certificate.certificate(id).amountKg;
            assertEq(kg, h.ghostCertificateKg(id), "certificate kg differs from its retirement");
            sum += kg;
        }
        assertEq(sum, h.ghostRetiredTotalKg(), "certificates' kg != kg retired");
    }
}
