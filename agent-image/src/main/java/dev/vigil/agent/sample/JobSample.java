package dev.vigil.agent.sample;

import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.attrib.Workload;
import java.util.List;
import java.util.Optional;

/**
 * One sampler reading of a job or pod, summed over its processes.
 *
 * @param cpuFraction CPU time used in the interval divided by (interval × cores), 0..1+
 * @param cores CPUs the job may run on (its cpuset), or the node's CPUs without one
 * @param rssBytes resident memory summed over the job's processes
 * @param top the process that used the most CPU in the interval
 * @param cgroupCpuFraction the same fraction from the job cgroup's own CPU accounting, or -1
 * @param cgroupMemoryBytes memory charged to the job cgroup (with page cache), or -1
 * @param gpuUtilPercent highest NVML utilisation of the GPUs the job's processes use, or -1
 * @param gpuMemoryBytes GPU memory the job's processes hold
 */
public record JobSample(
    String key,
    Workload workload,
    long timeMillis,
    double cpuFraction,
    int cores,
    long rssBytes,
    int threads,
    long readBytes,
    long writeBytes,
    List<Integer> pids,
    Optional<ProcessInfo> top,
    double cgroupCpuFraction,
    long cgroupMemoryBytes,
    int gpuUtilPercent,
    long gpuMemoryBytes) {}
