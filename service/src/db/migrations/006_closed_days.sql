-- Days the store was closed (an "Open" column at 0, or "closed"): not zero demand. Training and interval calibration
-- skip them as they skip stock-out days. Units are stored as the file gave them (usually 0).
ALTER TABLE sales ADD COLUMN closed boolean NOT NULL DEFAULT false;
-- What an upload replaced keeps the flag too, so undoing it restores the day as it was.
ALTER TABLE upload_changes ADD COLUMN closed boolean NOT NULL DEFAULT false;
