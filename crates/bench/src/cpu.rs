//! How much of the machine something else used while we measured. On a
//! small shared machine a compile or a test run next door halves every
//! figure; this makes that visible instead of silently wrong.
//!
//! "Ours" is this process and the children it waited for (wrk), the server
//! under test and its children (nginx workers), and PostgreSQL's background
//! processes plus its backends for the benchmark database. Everything else
//! busy on the CPUs in the same interval counts as "others".

use std::fs;

/// CPU ticks at one moment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Snapshot {
    busy: u64,
    total: u64,
    ours: u64,
}

/// What to count as ours besides this process.
#[derive(Debug, Clone, Default)]
pub struct Ours {
    pub server_pid: Option<u32>,
    pub database: Option<String>,
}

impl Ours {
    pub fn snapshot(&self) -> Snapshot {
        let (busy, total) = machine_ticks().unwrap_or_default();
        let mut ours = own_ticks().unwrap_or_default();
        if let Ok(entries) = fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
                let Some(stat) = ProcStat::read(pid) else { continue };
                if self.owns(pid, &stat) {
                    ours += stat.ticks;
                }
            }
        }
        Snapshot { busy, total, ours }
    }

    fn owns(&self, pid: u32, stat: &ProcStat) -> bool {
        if let Some(server) = self.server_pid {
            if pid == server || stat.ppid == server {
                return true;
            }
        }
        if stat.comm == "postgres" {
            let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            // Client backends are titled "postgres: USER DB HOST(PORT) STATE".
            let client_backend = cmdline.contains('(') && cmdline.contains(')');
            return !client_backend || self.database.as_deref().is_some_and(|db| cmdline.contains(db));
        }
        false
    }
}

/// The share of all CPU time between two snapshots that others used, in percent.
pub fn others_percent(before: Snapshot, after: Snapshot) -> Option<f64> {
    let total = after.total.checked_sub(before.total)?;
    if total == 0 {
        return None;
    }
    let busy = after.busy.saturating_sub(before.busy);
    let ours = after.ours.saturating_sub(before.ours);
    Some(100.0 * busy.saturating_sub(ours) as f64 / total as f64)
}

/// (busy, total) ticks of all CPUs, from the first line of /proc/stat.
fn machine_ticks() -> Option<(u64, u64)> {
    let text = fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = text.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let get = |i: usize| fields.get(i).copied().unwrap_or(0);
    let busy = get(0) + get(1) + get(2) + get(5) + get(6) + get(7);
    Some((busy, busy + get(3) + get(4)))
}

/// This process plus the children it has waited for (wrk).
fn own_ticks() -> Option<u64> {
    let text = fs::read_to_string("/proc/self/stat").ok()?;
    let fields = after_comm(&text);
    // Fields 14-17 of stat: utime stime cutime cstime; `fields` starts at field 3.
    Some((11..=14).filter_map(|i| fields.get(i)?.parse::<u64>().ok()).sum())
}

struct ProcStat {
    comm: String,
    ppid: u32,
    ticks: u64,
}

impl ProcStat {
    fn read(pid: u32) -> Option<Self> {
        let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let comm = text.get(text.find('(')? + 1..text.rfind(')')?)?.to_owned();
        let fields = after_comm(&text);
        let ppid = fields.get(1)?.parse().ok()?;
        let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Self { comm, ppid, ticks })
    }
}

/// The fields after `(comm)`, starting with field 3 (state).
fn after_comm(stat: &str) -> Vec<&str> {
    stat.rfind(')').map_or("", |end| &stat[end + 1..]).split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_found_and_its_own_time_counts() {
        let me = ProcStat::read(std::process::id()).expect("own stat");
        assert!(!me.comm.is_empty());
        assert!(own_ticks().is_some());
        assert!(machine_ticks().is_some_and(|(busy, total)| busy <= total));
    }

    #[test]
    fn others_are_what_is_busy_beyond_ours() {
        let before = Snapshot { busy: 100, total: 1000, ours: 50 };
        let after = Snapshot { busy: 700, total: 2000, ours: 550 };
        assert_eq!(others_percent(before, after), Some(10.0));
    }
}
