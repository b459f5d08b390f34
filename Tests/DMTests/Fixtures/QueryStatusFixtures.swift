/// `query-status` replies in the shapes dmctl prints (dm-interface §3.1, §4.1, §6.2): jsonpb
/// with every field, 4-space indent, int64 as strings, enums as names. Written for these tests
/// from the protobuf field lists; not captured program output.
enum QueryStatusFixtures {
    static let uuidA = "3a1f5c2e-7b44-11ee-9a01-0242ac120002"
    static let uuidB = "7c9d0e11-7b44-11ee-9a01-0242ac120003"

    /// v6.4+ MySQL source with relay enabled; the relay follows upstream B in sub-directory 2.
    static let v2WithRelay = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "sourceStatus": {
                        "source": "mysql-replica-01",
                        "worker": "dm-10.0.0.2-8262",
                        "result": null,
                        "relayStatus": {
                            "masterBinlog": "(mysql-bin.000012, 19283)",
                            "masterBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14,7c9d0e11-7b44-11ee-9a01-0242ac120003:1-9431",
                            "relaySubDir": "7c9d0e11-7b44-11ee-9a01-0242ac120003.000002",
                            "relayBinlog": "(mysql-bin.000012, 19283)",
                            "relayBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14,7c9d0e11-7b44-11ee-9a01-0242ac120003:1-9431",
                            "relayCatchUpMaster": true,
                            "stage": "Running",
                            "result": null
                        }
                    },
                    "subTaskStatus": [
                        {
                            "name": "orders",
                            "stage": "Running",
                            "unit": "Sync",
                            "result": null,
                            "unresolvedDDLLockID": "",
                            "sync": {
                                "totalEvents": "1024",
                                "totalTps": "3",
                                "recentTps": "0",
                                "masterBinlog": "(mysql-bin.000012, 19283)",
                                "masterBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14,7c9d0e11-7b44-11ee-9a01-0242ac120003:1-9431",
                                "syncerBinlog": "(mysql-bin|000002.000012, 19100)",
                                "syncerBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-14,7c9d0e11-7b44-11ee-9a01-0242ac120003:1-9428",
                                "blockingDDLs": [],
                                "unresolvedGroups": [],
                                "synced": false,
                                "binlogType": "local",
                                "secondsBehindMaster": "2",
                                "blockDDLOwner": "",
                                "conflictMsg": "",
                                "totalRows": "1024",
                                "totalRps": "3",
                                "recentRps": "0"
                            },
                            "validation": null
                        }
                    ]
                }
            ]
        }
        """#

    /// Two MariaDB sources without relay, sorted by source; the second has no worker (38029).
    static let v2NoRelayWorkerMissing = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "sourceStatus": {
                        "source": "maria-01",
                        "worker": "worker1",
                        "result": null,
                        "relayStatus": null
                    },
                    "subTaskStatus": [
                        {
                            "name": "orders",
                            "stage": "Running",
                            "unit": "Sync",
                            "result": null,
                            "unresolvedDDLLockID": "",
                            "sync": {
                                "totalEvents": "12",
                                "totalTps": "0",
                                "recentTps": "0",
                                "masterBinlog": "(mariadb-bin.000003, 4521)",
                                "masterBinlogGtid": "0-1-120,1-2-7",
                                "syncerBinlog": "(mariadb-bin.000003, 4521)",
                                "syncerBinlogGtid": "0-1-120,1-2-7",
                                "blockingDDLs": [],
                                "unresolvedGroups": [],
                                "synced": true,
                                "binlogType": "remote",
                                "secondsBehindMaster": "0",
                                "blockDDLOwner": "",
                                "conflictMsg": ""
                            },
                            "validation": null
                        }
                    ]
                },
                {
                    "result": false,
                    "msg": "[code=38029:class=dm-master:scope=internal:level=high], Message: maria-02 relevant worker-client not found, Workaround: Please use list-member command to see if the some workers are offline.",
                    "sourceStatus": {
                        "source": "maria-02",
                        "worker": "",
                        "result": null,
                        "relayStatus": null
                    },
                    "subTaskStatus": []
                }
            ]
        }
        """#

    /// A subtask paused by a purged-binlog error (36069), with a relay that saw a new server
    /// (30044) and a source-level error; `relaySubDir` is MariaDB-style.
    static let v2WithErrors = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "sourceStatus": {
                        "source": "maria-01",
                        "worker": "worker1",
                        "result": {
                            "isCanceled": false,
                            "errors": [
                                {
                                    "ErrCode": 10001,
                                    "ErrClass": "database",
                                    "ErrScope": "upstream",
                                    "ErrLevel": "high",
                                    "Message": "database driver error",
                                    "RawCause": "dial tcp 10.0.0.5:3306: connect: connection refused",
                                    "Workaround": "Please check the database connection and the database config in configuration file."
                                }
                            ],
                            "detail": null
                        },
                        "relayStatus": {
                            "masterBinlog": "(mariadb-bin.000004, 330)",
                            "masterBinlogGtid": "0-2-130",
                            "relaySubDir": "0-2.000003",
                            "relayBinlog": "(mariadb-bin.000004, 330)",
                            "relayBinlogGtid": "0-1-128",
                            "relayCatchUpMaster": false,
                            "stage": "Paused",
                            "result": {
                                "isCanceled": false,
                                "errors": [
                                    {
                                        "ErrCode": 30044,
                                        "ErrClass": "relay-unit",
                                        "ErrScope": "internal",
                                        "ErrLevel": "high",
                                        "Message": "receive fake rotate event with different server_id",
                                        "RawCause": "",
                                        "Workaround": "Please use `resume-relay` command if upstream database has changed"
                                    }
                                ],
                                "detail": null
                            }
                        }
                    },
                    "subTaskStatus": [
                        {
                            "name": "orders",
                            "stage": "Paused",
                            "unit": "Sync",
                            "result": {
                                "isCanceled": false,
                                "errors": [
                                    {
                                        "ErrCode": 36069,
                                        "ErrClass": "sync-unit",
                                        "ErrScope": "upstream",
                                        "ErrLevel": "high",
                                        "Message": "get binlog event error: ERROR 1236 (HY000): The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires.",
                                        "RawCause": "ERROR 1236 (HY000): The slave is connecting using CHANGE MASTER TO MASTER_AUTO_POSITION = 1, but the master has purged binary logs containing GTIDs that the slave requires.",
                                        "Workaround": "Please check if the binlog file could be parsed by `mysqlbinlog`."
                                    }
                                ],
                                "detail": null
                            },
                            "unresolvedDDLLockID": "",
                            "sync": {
                                "totalEvents": "40",
                                "totalTps": "0",
                                "recentTps": "0",
                                "masterBinlog": "(mariadb-bin.000004, 330)",
                                "masterBinlogGtid": "0-2-130",
                                "syncerBinlog": "(mariadb-bin|000002.000009, 1200)",
                                "syncerBinlogGtid": "0-1-125",
                                "blockingDDLs": [],
                                "unresolvedGroups": [],
                                "synced": false,
                                "binlogType": "local",
                                "secondsBehindMaster": "0"
                            }
                        }
                    ]
                }
            ]
        }
        """#

    /// A named task that does not run on the worker: `InvalidStage` with the `msg` oneof.
    static let v2InvalidStage = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "sourceStatus": {
                        "source": "mysql-replica-01",
                        "worker": "worker1",
                        "result": null,
                        "relayStatus": null
                    },
                    "subTaskStatus": [
                        {
                            "name": "orders",
                            "stage": "InvalidStage",
                            "unit": "InvalidUnit",
                            "result": null,
                            "unresolvedDDLLockID": "",
                            "msg": "no sub task with name orders has started",
                            "validation": null
                        }
                    ]
                }
            ]
        }
        """#

    /// A subtask still loading (the `load` oneof), an unknown future stage, and a MariaDB
    /// source whose syncer GTID is still empty.
    static let v2LoadAndUnknownStage = #"""
        {
            "result": true,
            "msg": "",
            "sources": [
                {
                    "result": true,
                    "msg": "",
                    "sourceStatus": {
                        "source": "maria-01",
                        "worker": "worker1",
                        "result": null,
                        "relayStatus": null
                    },
                    "subTaskStatus": [
                        {
                            "name": "archive",
                            "stage": "Running",
                            "unit": "Load",
                            "result": null,
                            "unresolvedDDLLockID": "",
                            "load": {
                                "finishedBytes": "1048576",
                                "totalBytes": "4194304",
                                "progress": "25.00 %",
                                "metaBinlog": "(mariadb-bin.000001, 4)",
                                "metaBinlogGTID": "0-1-100",
                                "bps": "1000"
                            },
                            "validation": null
                        },
                        {
                            "name": "fresh",
                            "stage": "Draining",
                            "unit": "Sync",
                            "result": null,
                            "unresolvedDDLLockID": "",
                            "sync": {
                                "totalEvents": "0",
                                "totalTps": "0",
                                "recentTps": "0",
                                "masterBinlog": "(mariadb-bin.000001, 4)",
                                "masterBinlogGtid": "",
                                "syncerBinlog": "(mariadb-bin.000001, 4)",
                                "syncerBinlogGtid": "",
                                "blockingDDLs": [],
                                "unresolvedGroups": [],
                                "synced": true,
                                "binlogType": "remote",
                                "secondsBehindMaster": "0"
                            },
                            "validation": null
                        }
                    ]
                }
            ]
        }
        """#

    /// The reply when the task is unknown.
    static let v2TaskNotExist = #"""
        {
            "result": false,
            "msg": "task orders has no source or not exist",
            "sources": [
            ]
        }
        """#

    /// The task summary (Go `encoding/json`): `query-status` with no arguments.
    static let v2Summary = #"""
        {
            "result": true,
            "msg": "",
            "tasks": [
                {
                    "taskName": "orders",
                    "taskStatus": "Running",
                    "sources": [
                        "mysql-replica-01",
                        "mysql-replica-02"
                    ]
                },
                {
                    "taskName": "billing",
                    "taskStatus": "Error - Some error occurred in subtask. Please run `query-status billing` to get more details.",
                    "sources": [
                        "mysql-replica-01"
                    ]
                },
                {
                    "taskName": "archive",
                    "taskStatus": "Paused",
                    "sources": [
                        "mysql-replica-02"
                    ]
                }
            ]
        }
        """#

    /// DM v1.0 `workers[]`, with a v1 error (numeric class/scope/level under "error") and an
    /// always-empty `syncerBinlogGtid`.
    static let v1Workers = #"""
        {
            "result": true,
            "msg": "",
            "workers": [
                {
                    "result": true,
                    "worker": "10.0.0.2:8262",
                    "msg": "",
                    "subTaskStatus": [
                        {
                            "name": "orders",
                            "stage": "Paused",
                            "unit": "Sync",
                            "result": {
                                "isCanceled": false,
                                "errors": [
                                    {
                                        "Type": "UnknownError",
                                        "msg": "",
                                        "error": {
                                            "ErrCode": 36069,
                                            "ErrClass": 9,
                                            "ErrScope": 2,
                                            "ErrLevel": 3,
                                            "Message": "get binlog event error",
                                            "RawCause": "ERROR 1236 (HY000): Could not find first log file name in binary log index file"
                                        }
                                    },
                                    {
                                        "Type": "ExecSQL",
                                        "msg": "execute statement failed: Duplicate entry '7' for key 'PRIMARY'",
                                        "error": null
                                    }
                                ],
                                "detail": null
                            },
                            "unresolvedDDLLockID": "",
                            "sync": {
                                "totalEvents": "12",
                                "totalTps": "1",
                                "recentTps": "1",
                                "masterBinlog": "(mysql-bin.000001, 3234)",
                                "masterBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-40",
                                "syncerBinlog": "(mysql-bin.000001, 2525)",
                                "syncerBinlogGtid": "",
                                "blockingDDLs": [],
                                "unresolvedGroups": [],
                                "synced": false
                            }
                        }
                    ],
                    "relayStatus": {
                        "masterBinlog": "(mysql-bin.000001, 3234)",
                        "masterBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-40",
                        "relaySubDir": "3a1f5c2e-7b44-11ee-9a01-0242ac120002.000001",
                        "relayBinlog": "(mysql-bin.000001, 3234)",
                        "relayBinlogGtid": "3a1f5c2e-7b44-11ee-9a01-0242ac120002:1-40",
                        "relayCatchUpMaster": true,
                        "stage": "Running",
                        "result": null
                    },
                    "sourceID": "mysql-replica-01"
                }
            ]
        }
        """#

    /// DM v1.0 summary: `workers` holds addresses instead of sources.
    static let v1Summary = #"""
        {
            "result": true,
            "msg": "",
            "tasks": [
                {
                    "taskName": "orders",
                    "taskStatus": "Running",
                    "workers": [
                        "10.0.0.2:8262"
                    ]
                }
            ]
        }
        """#
}
