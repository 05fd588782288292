package org.engram.jobs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.engram.jobs.kh.KhReconstructionJob;
import org.engram.jobs.mlcm.MlcmBaselineJob;
import org.engram.jobs.rnn.ReinforcementJob;
import org.engram.jobs.sweep.JobRegistry;
import org.junit.jupiter.api.Test;

/**
 * The ledger's code version is the bytecode a job's units reach: a changed byte in any class they can run (the
 * hold-out split, a nested settings record, a kernel) recomputes the job; a changed class of another family, the
 * CLI, plotting or a derived table kept out of the units' classes replays it.
 */
class CodeVersionTest {
    private static final CodeVersion.Bytecode REAL = CodeVersion.fromClassPath(CodeVersionTest.class.getClassLoader());

    /** The class path with one class's last byte flipped (its SourceFile index: the constant pool stays readable). */
    private static CodeVersion.Bytecode altered(String internalName) {
        return name -> {
            byte[] b = REAL.of(name);
            if (b != null && name.equals(internalName)) {
                b = b.clone();
                b[b.length - 1] ^= 1;
            }
            return b;
        };
    }

    private static void recomputes(Job<?> job, String changed) {
        assertNotEquals(CodeVersion.of(job, REAL), CodeVersion.of(job, altered(changed)),
                job.id() + " must be recomputed when " + changed + " changes");
    }

    private static void replays(Job<?> job, String changed) {
        assertEquals(CodeVersion.of(job, REAL), CodeVersion.of(job, altered(changed)),
                job.id() + " must not depend on " + changed);
    }

    @Test
    void aChangeInTheHoldOutSplitOrANestedSettingsRecordRecomputesTheJob() {
        Job<?> kh = new KhReconstructionJob();
        recomputes(kh, "org/engram/jobs/data/Labelled");
        recomputes(kh, "org/engram/jobs/kh/KhTraining$Settings");
        recomputes(kh, "org/engram/kernels/data/Splits");
        recomputes(kh, "org/engram/kernels/rbm/KrotovHopfield");
        recomputes(kh, "org/engram/jobs/core/Trials");
        Job<?> mlcm = new MlcmBaselineJob();
        recomputes(mlcm, "org/engram/jobs/data/Labelled");
        recomputes(mlcm, "org/engram/kernels/mlcm/Mlcm");
    }

    @Test
    void aChangeInAnotherFamilyReplaysTheJob() {
        Job<?> kh = new KhReconstructionJob();
        replays(kh, "org/engram/jobs/mlcm/MlcmTraining");
        replays(kh, "org/engram/jobs/rnn/ReinforcementJob");
        replays(kh, "org/engram/kernels/rnn/PackedCouplings");
        replays(kh, "org/engram/jobs/sweep/JobRegistry");
        replays(new ReinforcementJob(), "org/engram/kernels/rbm/Rbm");
    }

    @Test
    void aChangeInADerivedTableOrFigureReplaysTheUnits() {
        Job<?> mlcm = new MlcmBaselineJob();
        // the gap table (the job class) and the accuracy figures (MlcmTables) are made on the driver
        replays(mlcm, "org/engram/jobs/mlcm/MlcmBaselineJob");
        replays(mlcm, "org/engram/jobs/mlcm/MlcmTables");
        replays(new org.engram.jobs.mlcm.MlcmSparsityThresholdJob(), "org/engram/jobs/mlcm/MlcmTables");
        // what the units run: the training (their nest host), its settings, the kernels, the shared trial code
        recomputes(mlcm, "org/engram/jobs/mlcm/MlcmTraining");
        recomputes(mlcm, "org/engram/jobs/mlcm/MlcmTraining$Unit");
        recomputes(mlcm, "org/engram/kernels/mlcm/MlcmTrainer");
        List<String> hashed = CodeVersion.versioned(mlcm);
        assertTrue(CodeVersion.classes(mlcm).containsAll(List.of("org/engram/jobs/mlcm/MlcmTables",
                "org/engram/jobs/mlcm/MlcmBaselineJob")), "the job reaches its tables");
        assertFalse(hashed.contains("org/engram/jobs/mlcm/MlcmTables"), hashed.toString());
        assertFalse(hashed.contains("org/engram/jobs/mlcm/MlcmBaselineJob"), hashed.toString());
        assertTrue(hashed.contains("org/engram/kernels/mlcm/Mlcm"), hashed.toString());
    }

    @Test
    void everyJobHashesWhatItsUnitsReachAndNoMore() {
        for (Job<?> job : JobRegistry.standard().all()) {
            List<String> hashed = CodeVersion.versioned(job);
            assertTrue(CodeVersion.classes(job).containsAll(hashed), job.id() + " hashes a class it cannot reach");
            for (Class<?> unit : CodeVersion.unitClasses(job)) {
                assertTrue(hashed.contains(CodeVersion.internal(unit)), job.id() + " does not hash " + unit);
            }
        }
    }

    @Test
    void theClosureHoldsWhatAUnitRunsAndNothingOfTheCliOrOtherFamilies() {
        for (Job<?> job : JobRegistry.standard().all()) {
            List<String> classes = CodeVersion.classes(job);
            String family = CodeVersion.internal(job.getClass());
            family = family.substring(0, family.lastIndexOf('/'));
            for (String c : classes) {
                assertFalse(c.startsWith("org/engram/driver") || c.startsWith("org/engram/export")
                        || c.startsWith("org/engram/jobs/sweep"), job.id() + " reaches " + c);
                if (c.startsWith("org/engram/jobs/") && !c.startsWith("org/engram/jobs/core")
                        && !c.startsWith("org/engram/jobs/config") && !c.startsWith("org/engram/jobs/data")) {
                    assertTrue(c.startsWith(family + "/"), job.id() + " reaches another family's " + c);
                }
            }
            assertFalse(CodeVersion.unitClasses(job).isEmpty(), job.id() + " has no unit class");
        }
        assertTrue(CodeVersion.classes(new KhReconstructionJob()).containsAll(List.of("org/engram/jobs/data/Labelled",
                "org/engram/jobs/kh/KhTraining$Settings", "org/engram/jobs/kh/KhTraining$Reconstruction",
                "org/engram/kernels/rbm/ContrastiveDivergence", "org/engram/kernels/rbm/Fused")));
    }

    @Test
    void unitClassesAreDerivedFromTheClosure() {
        assertEquals(List.of("org.engram.jobs.rnn.ReinforcementJob$Unit"),
                CodeVersion.unitClasses(new ReinforcementJob()).stream().map(Class::getName).toList());
        assertTrue(CodeVersion.unitClasses(new KhReconstructionJob()).stream().map(Class::getSimpleName).toList()
                .contains("Reconstruction"));
    }

    @Test
    void theVersionIsStableAndNamesTheJob() {
        Job<?> kh = new KhReconstructionJob();
        assertEquals(CodeVersion.of(kh, REAL), CodeVersion.of(kh, REAL));
        assertEquals(64, CodeVersion.of(kh).length());
        // two jobs sharing all their code still have versions of their own
        assertNotEquals(CodeVersion.of(kh), CodeVersion.of(new org.engram.jobs.kh.KhGridJob()));
    }
}
