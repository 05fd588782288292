package org.engram.jobs.sweep;

import java.util.ArrayList;
import java.util.List;
import org.engram.jobs.assoc.FixedPointsJob;
import org.engram.jobs.assoc.MemoryEvolutionJob;
import org.engram.jobs.core.Job;
import org.engram.jobs.kh.GradientTrialsJob;
import org.engram.jobs.kh.KhClassificationJob;
import org.engram.jobs.kh.KhGridJob;
import org.engram.jobs.kh.KhReceptiveFieldsJob;
import org.engram.jobs.kh.KhReconstructionJob;
import org.engram.jobs.kh.KhScheduleJob;
import org.engram.jobs.kh.KhShuffleControlJob;
import org.engram.jobs.mlcm.CapacityJob;
import org.engram.jobs.mlcm.MlcmBaselineJob;
import org.engram.jobs.mlcm.MlcmSparsityThresholdJob;
import org.engram.jobs.mlcm.MlcmSparsityWtaJob;
import org.engram.jobs.rapid.GibbsAccessibilityJob;
import org.engram.jobs.rapid.RapidBarsJob;
import org.engram.jobs.rapid.RapidBasJob;
import org.engram.jobs.rapid.RapidMnistJob;
import org.engram.jobs.rnn.ReinforcementJob;
import org.engram.jobs.rnn.SelfCouplingJob;
import org.engram.jobs.synthetic.ShapesJob;
import org.engram.jobs.synthetic.SyntheticJob;
import org.engram.jobs.unlearning.InferenceJob;
import org.engram.jobs.unlearning.PhaseDiagramJob;
import org.engram.jobs.unlearning.RetrievalCapacityJob;

/** Every job Engram knows, by id. */
public final class JobRegistry {
    private final List<Job<?>> jobs;

    public JobRegistry(List<Job<?>> jobs) {
        this.jobs = List.copyOf(jobs);
    }

    public static JobRegistry standard() {
        return new JobRegistry(List.of(new ReinforcementJob(), new SelfCouplingJob(),
                new KhReconstructionJob(), new KhScheduleJob(), new KhGridJob(), new KhReceptiveFieldsJob(),
                new KhClassificationJob(), new GradientTrialsJob(), new KhShuffleControlJob(),
                new MlcmBaselineJob(), new MlcmSparsityThresholdJob(), new MlcmSparsityWtaJob(),
                new CapacityJob(), new MemoryEvolutionJob(), new FixedPointsJob(),
                new SyntheticJob(), new ShapesJob(), new RetrievalCapacityJob(), new PhaseDiagramJob(), new InferenceJob(),
                new GibbsAccessibilityJob(), new RapidBarsJob(), new RapidBasJob(), new RapidMnistJob()));
    }

    public Job<?> find(String id) {
        for (Job<?> j : jobs) {
            if (j.id().equals(id)) {
                return j;
            }
        }
        return null;
    }

    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Job<?> j : jobs) {
            ids.add(j.id());
        }
        return ids;
    }

    public List<Job<?>> all() {
        return jobs;
    }
}
