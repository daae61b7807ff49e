def test_compute_cluster_scales_to_zero(workspace, run_snippet):
    run_snippet("ch08_compute_targets/compute_cluster.py")

    (cluster,) = workspace.created("compute")
    assert (cluster.name, cluster.size) == ("cpu-cluster", "STANDARD_DS3_v2")
    assert (cluster.min_instances, cluster.max_instances) == (0, 2)
    assert cluster.tier == "low_priority"
