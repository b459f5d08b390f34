// RunJournal: the write-ahead journal of runs, holds and cooldowns on disk.
