-- An analyst acknowledges (tiếp nhận) an alert; "xác nhận" would mean confirming that its condition is true.
update role set description_vi = 'Chuyên viên Sở: theo dõi chỉ số, so sánh mùa, tiếp nhận cảnh báo'
where name = 'Analyst' and description_vi = 'Chuyên viên Sở: theo dõi chỉ số, so sánh mùa, xác nhận cảnh báo';
