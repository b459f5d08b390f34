/// Replies of dmctl's mutating commands (dm-interface §3.2–§3.7, §6.2), written for these
/// tests from the protobuf and Go struct definitions; not captured program output.
enum OperationFixtures {
    static let pauseOK = #"""
        {
            "op": "Pause",
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    static let pauseTaskNotExist = #"""
        {
            "op": "Pause",
            "result": false,
            "msg": "task orders has no source or not exist, please check the task name and status",
            "sources": [
            ]
        }
        """#

    /// The worker did not reach Running: the worker's error is folded into a 38032 message.
    static let resumeSourceFailed = #"""
        {
            "op": "Resume",
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": false,
                    "msg": "[code=38032:class=dm-master:scope=internal:level=high], Message: some error occurs in dm-worker: ErrCode:36069 ErrClass:\"sync-unit\" ErrScope:\"upstream\" ErrLevel:\"high\" Message:\"get binlog event error: ERROR 1236 (HY000): The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires.\" , Workaround: Please execute `query-status` to check status.",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                },
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-02",
                    "worker": "worker2"
                }
            ]
        }
        """#

    /// stop-task up to v5.4.
    static let stopOpStop = #"""
        {
            "op": "Stop",
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    /// stop-task from v6.0.
    static let stopOpDelete = #"""
        {
            "op": "Delete",
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    /// Batch `pause-task -s SOURCE` (Go `encoding/json`, `omitempty`): all succeeded.
    static let batchPauseOK = #"""
        {
            "result": true,
            "msg": "",
            "tasks": [
                {
                    "task": "billing",
                    "op": "Pause",
                    "result": true,
                    "msg": "",
                    "sources": [
                        {
                            "result": true,
                            "source": "mysql-replica-01",
                            "worker": "worker1"
                        }
                    ]
                },
                {
                    "task": "orders",
                    "op": "Pause",
                    "result": true,
                    "msg": "",
                    "sources": [
                        {
                            "result": true,
                            "source": "mysql-replica-01",
                            "worker": "worker1"
                        }
                    ]
                }
            ]
        }
        """#

    /// Batch reply where one source's `"result": false` was dropped by `omitempty`.
    static let batchResumeOmittedResult = #"""
        {
            "result": true,
            "msg": "",
            "tasks": [
                {
                    "task": "orders",
                    "op": "Resume",
                    "result": true,
                    "msg": "",
                    "sources": [
                        {
                            "msg": "[code=38045:class=dm-master:scope=internal:level=medium], Message: fail to get expected result",
                            "source": "mysql-replica-01",
                            "worker": "worker1"
                        }
                    ]
                }
            ]
        }
        """#

    static let startTaskOK = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ],
            "checkResult": "pre-check is passed. "
        }
        """#

    /// Precheck failure: dmctl splices the raw check text (newlines, quotes, a `detail: {…}`
    /// blob) over the `checkResult` placeholder, so this is not valid JSON.
    static let startTaskPrecheckFailed = """
        {
            "result": false,
            "msg": "",
            "sources": [
            ],
            "checkResult": "fail to check synchronization configuration with type: no errors but some warnings
           \tdetail: {
                "results": [
                    {
                        "id": 3,
                        "name": "mysql_binlog_row_image",
                        "desc": "check whether mysql binlog_row_image is FULL",
                        "state": "fail",
                        "errors": [
                            {
                                "severity": "fail",
                                "short_error": "binlog_row_image is \\"MINIMAL\\", not FULL"
                            }
                        ],
                        "extra": "address of db instance - 10.0.0.5:3306"
                    }
                ],
                "summary": {
                    "passed": false,
                    "total": 9,
                    "successful": 8,
                    "failed": 1,
                    "warning": 0
                }
            }"
        }
        """

    /// Broken beyond repair (the closing quote is gone): only `result` and `msg` can be read.
    static let startTaskPrecheckFailedUnrepairable = """
        {
            "result": false,
            "msg": "precheck \\"failed\\"",
            "sources": [
            ],
            "checkResult": "fail to check synchronization configuration with type: some errors
           \tdetail: { "results": [ { "state": "fail" } ]
        """

    static let startTaskAlreadyExists = #"""
        {
            "result": false,
            "msg": "[code=46014:class=scheduler:scope=internal:level=medium], Message: subtasks with name orders for sources [mysql-replica-01] already exist, Workaround: Please use `query-status` command to see tasks.",
            "sources": [
            ],
            "checkResult": ""
        }
        """#

    /// `operate-source create` with `relay-dir` set prints a deprecation line before the JSON.
    static let createSourceOKWithNoise = #"""
        `relay-dir` in source config will be deprecated soon, please use `relay-dir` in worker config instead
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    static let createSourceExists = #"""
        {
            "result": false,
            "msg": "[code=46007:class=scheduler:scope=internal:level=medium], Message: source config with ID mysql-replica-01 already exists, Workaround: Please use `get-config source` to check the config.",
            "sources": [
            ]
        }
        """#

    static let stopSourceHasTasks = #"""
        {
            "result": false,
            "msg": "[code=46010:class=scheduler:scope=internal:level=medium], Message: source config with ID mysql-replica-01 has running tasks [orders], Workaround: Please `stop-task` first.",
            "sources": [
            ]
        }
        """#

    static let stopSourceHasRelayWorkers = #"""
        {
            "result": false,
            "msg": "[code=46023:class=scheduler:scope=internal:level=medium], Message: source mysql-replica-01 has relay workers [worker1], Workaround: Please `stop-relay` first.",
            "sources": [
            ]
        }
        """#

    static let stopSourceOK = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    /// `operate-source show`: one bound source and one waiting for a free worker.
    static let showSources = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                },
                {
                    "result": true,
                    "msg": "source is added but there is no free worker to bound",
                    "source": "mysql-replica-02",
                    "worker": ""
                }
            ]
        }
        """#

    static let listMember = #"""
        {
            "result": true,
            "msg": "",
            "members": [
                {
                    "leader": {
                        "msg": "",
                        "name": "master1",
                        "addr": "10.0.0.1:8261"
                    }
                },
                {
                    "master": {
                        "msg": "",
                        "masters": [
                            {
                                "name": "master1",
                                "memberID": "11007177379717700053",
                                "alive": true,
                                "peerURLs": [
                                    "http://10.0.0.1:8291"
                                ],
                                "clientURLs": [
                                    "http://10.0.0.1:8261"
                                ]
                            }
                        ]
                    }
                },
                {
                    "worker": {
                        "msg": "",
                        "workers": [
                            {
                                "name": "worker1",
                                "addr": "10.0.0.2:8262",
                                "stage": "bound",
                                "source": "mysql-replica-01"
                            },
                            {
                                "name": "worker2",
                                "addr": "10.0.0.3:8262",
                                "stage": "free",
                                "source": ""
                            }
                        ]
                    }
                }
            ]
        }
        """#

    /// v2+ `pause-relay -s` on a source without relay.
    static let pauseRelayDisabled = #"""
        {
            "op": "PauseRelay",
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": false,
                    "msg": "[code=38032:class=dm-master:scope=internal:level=high], Message: some error occurs in dm-worker: relay is disabled for this source",
                    "source": "mysql-replica-01",
                    "worker": "worker1"
                }
            ]
        }
        """#

    /// DM v1.0 `OperateTaskResponse`: members nest under `meta`, `logID` is an int64 string.
    static let v1PauseTask = #"""
        {
            "op": "Pause",
            "result": true,
            "msg": "",
            "workers": [
                {
                    "meta": {
                        "result": true,
                        "worker": "10.0.0.2:8262",
                        "msg": ""
                    },
                    "op": "Pause",
                    "logID": "12"
                }
            ]
        }
        """#

    /// DM v1.0 `OperateWorkerRelayResponse`.
    static let v1PauseRelay = #"""
        {
            "op": "PauseRelay",
            "result": true,
            "msg": "",
            "workers": [
                {
                    "op": "PauseRelay",
                    "result": true,
                    "worker": "10.0.0.2:8262",
                    "msg": ""
                }
            ]
        }
        """#

    /// v1.0 pause-relay of a relay its upstream's error already paused.
    static let v1PauseRelayAlreadyPaused = #"""
        {
            "op": "PauseRelay",
            "result": true,
            "msg": "",
            "workers": [
                {
                    "op": "PauseRelay",
                    "result": false,
                    "worker": "10.0.0.2:8262",
                    "msg": "[code=40039:class=dm-worker:scope=internal:level=high], Message: current stage is Paused, Running required, relay op PauseRelay"
                }
            ]
        }
        """#

    static let v1ResumeRelay = #"""
        {
            "op": "ResumeRelay",
            "result": true,
            "msg": "",
            "workers": [
                {
                    "op": "ResumeRelay",
                    "result": true,
                    "worker": "10.0.0.2:8262",
                    "msg": ""
                }
            ]
        }
        """#

    /// DM v1.0 `SwitchWorkerRelayMasterResponse`: no `op`.
    static let v1SwitchRelayMaster = #"""
        {
            "result": true,
            "msg": "",
            "workers": [
                {
                    "result": true,
                    "worker": "10.0.0.2:8262",
                    "msg": ""
                }
            ]
        }
        """#

    /// The worker refuses to switch while relay runs.
    static let v1SwitchRelayMasterRefused = #"""
        {
            "result": false,
            "msg": "",
            "workers": [
                {
                    "result": false,
                    "worker": "10.0.0.2:8262",
                    "msg": "[code=40040:class=dm-worker:scope=internal:level=high], Message: current stage is Running, Paused required"
                }
            ]
        }
        """#
}
