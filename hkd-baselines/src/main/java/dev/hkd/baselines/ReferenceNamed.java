package dev.hkd.baselines;

import ai.djl.nn.Parameter;
import java.util.Map;

/** A module that can say which of its parameters carries which name in the reference (PyTorch) code. */
public interface ReferenceNamed {

    /** Reference name (e.g. {@code bn.running_mean}) to parameter. */
    Map<String, Parameter> referenceParameters();
}
